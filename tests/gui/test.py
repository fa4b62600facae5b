#!/usr/bin/python3
"""GUI tests of the RDP Mend wizard, driven through AT-SPI (dogtail) under Xvfb.

Run by ctest as: xvfb-run ... dbus-run-session -- python3 test.py SCENARIO
  walk      broken image (expired bound certificate + damaged MSLicensing): answer, scan,
            review, apply, verify the result page and the hives on disk, undo, verify again
  cancel    Cancel during a scan whose disk read hangs works at once; the window stays alive
  keyboard  the whole flow with the keyboard alone (mnemonics, focus on page change)
  watchdog  main-loop gaps while scanning the real SYSTEM hive (shared data), reported
  translated  the first pages in German and Spanish
Screenshots of every page go to $MEND_BUILD_DIR/screenshots; a blank one fails the test.
Exit 77 (skip) with a reason when something needed is missing.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

SKIP = 77


def skip(reason):
    print("SKIP: " + reason)
    sys.exit(SKIP)


try:
    from dogtail.config import config
    config.checkForA11y = False
    config.searchCutoffCount = 5
    config.searchBackoffDuration = 0.2
    config.defaultDelay = 0.2
    config.logDebugToFile = False
    config.logDebugToStdOut = False
    from dogtail import rawinput
    from dogtail.tree import root
    import pyatspi
except Exception as e:  # pragma: no cover - depends on the machine
    skip("dogtail / pyatspi are not usable: %s" % e)

try:
    import hivex
except ImportError:
    skip("python3-hivex is not installed (needed to check the hives on disk)")

BUILD = os.environ.get("MEND_BUILD_DIR") or skip("MEND_BUILD_DIR is not set")
APP = os.path.join(BUILD, "src", "gui", "rdpmend")
MKFIXTURE = os.path.join(BUILD, "tests", "fixtures", "mend-mkfixture")
SHOTS = os.path.join(BUILD, "screenshots")
SHARED = os.environ.get("MEND_SHARED_DATA", "")

for tool in ("import", "convert"):
    if shutil.which(tool) is None:
        skip("ImageMagick '%s' is missing (package imagemagick)" % tool)
if not os.environ.get("DISPLAY"):
    skip("no X display (run under xvfb-run)")
for exe in (APP, MKFIXTURE):
    if not os.access(exe, os.X_OK):
        skip("%s was not built" % exe)


def log(msg):
    print(msg, flush=True)


def clean(name):
    return (name or "").replace("_", "")


# ---- the application -------------------------------------------------------------------

class Wizard:
    def __init__(self, folders, extra_env=None):
        env = dict(os.environ, GSK_RENDERER="cairo", LC_ALL="C.UTF-8", LANGUAGE="",
                   GTK_A11Y="atspi", NO_AT_BRIDGE="0")
        env.update(extra_env or {})
        self.started = time.monotonic()
        self.proc = subprocess.Popen([APP] + list(folders), env=env)
        deadline = time.monotonic() + 30
        self.app = None
        while time.monotonic() < deadline and self.app is None:
            for a in root.applications():
                if a.name == "rdpmend":
                    self.app = a
            if self.app is None:
                time.sleep(0.3)
        if self.app is None:
            raise AssertionError("the wizard did not appear on the accessibility bus")
        self.frame = self.wait(lambda: self.first(self.app, "frame", "RDP Mend"), "main window")
        self.assistant = self.wait(
            lambda: self.first(self.frame, "filler", "MendAssistant"), "assistant")

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    @staticmethod
    def first(node, role, text, exact=False):
        # Mnemonic underscores are dropped from names, so drop them from what is looked
        # for too (temporary folder names contain "_" at random).
        text = clean(text)

        def pred(n):
            try:
                name = clean(n.name)
                return n.roleName == role and (name == text if exact else text in name)
            except Exception:
                return False
        found = node.findChildren(pred, recursive=True)
        return found[0] if found else None

    def wait(self, fn, what, timeout=30):
        def done(v):
            if v is None or v is False:
                return False
            if isinstance(v, (list, tuple, str, dict, set)):
                return len(v) > 0
            return True

        deadline = time.monotonic() + timeout
        while True:
            try:
                value = fn()
            except Exception:
                value = None
            # Not "if value": an accessible node with no children is falsy (len() is its
            # child count), which made waits for a childless check box time out at random.
            if done(value):
                return value
            if self.proc.poll() is not None:
                raise AssertionError("the wizard exited (%s) while waiting for %s"
                                     % (self.proc.returncode, what))
            if time.monotonic() > deadline:
                try:
                    sys.stderr.write("  last try: %r (waiting for %s)\n" % (fn(), what))
                except Exception as e:
                    sys.stderr.write("  last try raised: %r\n" % (e,))
                self.dump_tree()
                raise AssertionError("timed out waiting for " + what)
            time.sleep(0.15)

    def dump_tree(self):
        """On a time-out, say what the accessibility tree shows, for the CI log."""
        try:
            for n in self.frame.findChildren(lambda n: n.roleName in ("check box", "push button",
                                                                      "panel", "label"),
                                             recursive=True)[:80]:
                sys.stderr.write("  a11y: %s %r showing=%s\n"
                                 % (n.roleName, clean(n.name)[:160],
                                    n.getState().contains(pyatspi.STATE_SHOWING)))
        except Exception as e:
            sys.stderr.write("  a11y dump failed: %s\n" % e)

    # The heading above the pages names the current page.
    def heading(self):
        return self.assistant.children[0].name

    def wait_page(self, title, timeout=30):
        self.wait(lambda: self.heading() == title, "page '%s' (now '%s')" % (title, self.heading()),
                  timeout)
        return self.wait(lambda: self.first(self.assistant, "panel", title, exact=True),
                         "page panel " + title)

    def action_bar(self):
        return self.assistant.children[-1]

    def nav_button(self, text):
        return self.first(self.action_bar(), "push button", text)

    def click(self, node):
        node.doActionNamed("click")

    def next_button(self):
        buttons = [c for c in self.action_bar().children if c.roleName == "push button"]
        return buttons[-1]

    def press_next(self, expect_label=None):
        button = self.wait(lambda: (lambda b: b if b.sensitive else None)(self.next_button()),
                           "a sensitive Next button")
        if expect_label is not None:
            assert expect_label in clean(button.name), \
                "Next is labelled '%s', expected '%s'" % (button.name, expect_label)
        self.click(button)
        return button

    def label_texts(self, node):
        return [n.name for n in node.findChildren(lambda n: n.roleName == "label",
                                                  recursive=True)]

    def wait_label(self, node, text, timeout=60):
        return self.wait(lambda: self.first(node, "label", text), "label '%s'" % text, timeout)

    def focused(self):
        found = self.frame.findChildren(
            lambda n: n.getState().contains(pyatspi.STATE_FOCUSED), recursive=True)
        return found[0] if found else None

    def check_names(self, page):
        """Every control on the page must have an accessible name."""
        roles = ("push button", "check box", "radio button", "text", "toggle button")
        unnamed = [n.roleName for n in page.findChildren(lambda n: n.roleName in roles,
                                                         recursive=True)
                   if not clean(n.name).strip()]
        assert not unnamed, "controls without an accessible name: %s" % unnamed


# ---- screenshots -----------------------------------------------------------------------

def screenshot(name):
    os.makedirs(SHOTS, exist_ok=True)
    path = os.path.join(SHOTS, name + ".png")
    time.sleep(0.6)  # let the frame after the last change reach the screen
    subprocess.run(["import", "-window", "root", path], check=True)
    # A blank page (a too-early capture, or a page that draws nothing) has almost no
    # distinct colours; a real page has text, icons and anti-aliasing.
    colours = int(subprocess.run(["identify", "-format", "%k", path], check=True,
                                 capture_output=True, text=True).stdout.strip() or 0)
    if colours < 24:
        raise AssertionError("screenshot %s looks blank (%d colours)" % (path, colours))
    log("screenshot: %s (%d colours)" % (path, colours))
    return path


# ---- hives on disk, read with an independent reader (python3-hivex) --------------------

def hive_path(image, name):
    return os.path.join(image, "Windows", "System32", "config", name)


def key(h, path):
    node = h.root()
    for part in path.split("\\"):
        node = h.node_get_child(node, part)
        if node is None or node == 0:
            return None
    return node


def value(h, node, name):
    for v in h.node_values(node):
        if h.value_key(v) == name:
            return h.value_value(v)[1]
    return None


def rdp_tcp_hash(image):
    h = hivex.Hivex(hive_path(image, "SYSTEM"))
    current = value(h, key(h, "Select"), "Current")
    cs = "ControlSet%03d" % int.from_bytes(current, "little")
    node = key(h, cs + "\\Control\\Terminal Server\\WinStations\\RDP-Tcp")
    data = value(h, node, "SSLCertificateSHA1Hash")
    return data.hex().upper() if data else None


def mslicensing_state(image):
    h = hivex.Hivex(hive_path(image, "SOFTWARE"))
    node = key(h, "Microsoft\\MSLicensing")
    if node is None:
        return "absent"
    return "with-store" if key(h, "Microsoft\\MSLicensing\\Store") else "without-store"


def make_fixture(folder, scenario):
    subprocess.run([MKFIXTURE, folder, scenario], check=True, stdout=subprocess.DEVNULL)


# ---- scenarios -------------------------------------------------------------------------

def tmp_dir_of(image):
    return os.path.dirname(image)


def clipboard_text():
    """The CLIPBOARD selection, read as another X client would (GTK 3 in this process)."""
    import gi
    gi.require_version("Gtk", "3.0")
    from gi.repository import Gdk, Gtk
    return Gtk.Clipboard.get(Gdk.SELECTION_CLIPBOARD).wait_for_text()


def check_report_actions(w, page, tmp):
    # "Copy Report": Markdown with the path picture in words, redacted on request.
    w.click(w.first(page, "push button", "Copy Report"))
    text = w.wait(clipboard_text, "the report on the clipboard", 10)
    assert text.startswith("# Remote Desktop diagnosis"), text[:200]
    assert "- Certificate: problem found" in text, text
    assert "alice" in text, "the unredacted report should name the fixture's user"
    rawinput.keyCombo("<Alt>h")   # "_Hide user and computer names" (check boxes have no action)
    w.click(w.first(page, "push button", "Copy Report"))
    text = w.wait(lambda: (lambda t: t if t and "alice" not in t else None)(clipboard_text()),
                  "a redacted report on the clipboard", 10)
    assert "server01" not in text and "user1" in text, text
    rawinput.keyCombo("<Alt>h")
    log("copy report: %d bytes of Markdown, redaction works" % len(text))

    # "Save Report": HTML with the same picture, through the file chooser.
    path = os.path.join(tmp, "report.html")
    w.click(w.first(page, "push button", "Save Report"))
    # GTK 4.8 exposes the file chooser window as a top-level "filler".
    w.wait(lambda: [c for c in w.app.children if c.name == "Save Report"], "the save dialog", 15)
    screenshot("save-report-dialog")
    rawinput.keyCombo("<Control>a")
    rawinput.typeText(path)
    rawinput.pressKey("Return")
    w.wait(lambda: os.path.exists(path) and os.path.getsize(path) > 0, "the saved report", 15)
    with open(path, encoding="utf-8") as f:
        html = f.read()
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html, html[:200]
    assert 'data-state="failed"' in html, "the saved picture shows no failed stage"
    log("save report: %s (%d bytes, inline SVG)" % (path, len(html)))


def answer_welcome(w, keyboard_only=False):
    page = w.wait_page("What is wrong?")
    w.check_names(page)
    rawinput.keyCombo("<Alt>r")          # "_Repair a Windows installation on a disk"
    rawinput.keyCombo("<Alt>e")          # "_Error code shown"
    rawinput.typeText("0x904 / 0x7")
    w.wait(lambda: any("socket closed" in t and "refused" in t for t in w.label_texts(page)),
           "the explanation of 0x904 / 0x7 on the spot", 10)
    rawinput.keyCombo("<Alt>w")          # "It fails _within a couple of seconds"
    rawinput.keyCombo("<Alt>t")          # "It started after the computer was rese_t"
    return page


def walk(image, keyboard_only, shot_prefix):
    before_hash = rdp_tcp_hash(image)
    assert before_hash, "the fixture has no bound certificate"
    assert mslicensing_state(image) == "without-store", mslicensing_state(image)

    # The keyboard walk starts the wizard the way the CLI is spelled (--image DIR), the
    # mouse walk with a bare folder: both must offer the image on the target page.
    w = Wizard(["--image", image] if keyboard_only else [image])
    try:
        answer_welcome(w, keyboard_only)
        screenshot(shot_prefix + "1-welcome")
        if keyboard_only:
            rawinput.keyCombo("<Alt>n")
        else:
            w.press_next("Next")

        page = w.wait_page("Which Windows should be examined?")
        w.wait(lambda: w.first(w.frame, "check box", image), "the image in the target list " + repr(image))
        focus = w.focused()
        assert focus is not None, "nothing has the keyboard focus on the target page"
        log("focus on the target page: %s '%s'" % (focus.roleName, focus.name))
        w.check_names(page)
        screenshot(shot_prefix + "2-target")
        if keyboard_only:
            rawinput.keyCombo("<Alt>n")
        else:
            w.press_next("Next")

        page = w.wait_page("Checking")
        w.wait_label(page, "Done:", 60)
        w.check_names(page)
        screenshot(shot_prefix + "3-scan")
        if keyboard_only:
            rawinput.keyCombo("<Alt>n")
        else:
            w.press_next("Next")

        page = w.wait_page("What we found")
        w.check_names(page)
        stages = {n.name for n in page.findChildren(lambda n: ":" in (n.name or "")
                                                    and n.roleName in ("panel", "filler", "list item"),
                                                    recursive=True)}
        log("path picture: %s" % sorted(s for s in stages if s.split(":")[0] in (
            "This computer", "Network", "Server", "Negotiation", "TLS", "Certificate",
            "Sign-in", "Licensing")))
        assert "Certificate: problem found" in stages, stages
        assert "Licensing: problem found" in stages, stages
        assert w.first(page, "label", "The listener's certificate has expired") or \
            any("certificate" in t and "expired" in t for t in w.label_texts(page)), \
            "the expired certificate is not listed"
        why = w.first(page, "toggle button", "Why we think so") or \
            w.first(page, "push button", "Why we think so") or \
            w.first(page, "panel", "Why we think so")
        assert why is not None, "no 'Why we think so' expander"
        texts = w.label_texts(page)
        told = [t for t in texts if "reset" in t and "confirmed:" in t]
        assert told, "the reset the scan saw is not shown as confirmed: %s" % texts
        log("what you told us: %s" % told[0])
        assert any("0x904 / 0x7" in t for t in texts), "the reported error is not shown"
        screenshot(shot_prefix + "4-findings")
        if not keyboard_only:
            check_report_actions(w, page, tmp_dir_of(image))
        if keyboard_only:
            rawinput.keyCombo("<Alt>r")      # "_Review Fixes"
        else:
            w.press_next("Review Fixes")

        page = w.wait_page("Review the changes")
        w.wait(lambda: w.next_button().sensitive, "the plans", 30)
        texts = " ".join(w.label_texts(page))
        assert "MSLicensing" in texts, "the review does not show the MSLicensing change"
        assert "SSLCertificateSHA1Hash" in texts, "the review does not show the certificate change"
        assert "old:" in texts and "new:" in texts, "old and new values are not shown"
        apply_button = w.next_button()
        assert "Apply Changes" in clean(apply_button.name), apply_button.name
        w.check_names(page)
        screenshot(shot_prefix + "5-review")
        if keyboard_only:
            rawinput.keyCombo("<Alt>a")      # "_Apply Changes"
        else:
            w.click(apply_button)

        page = w.wait_page("Repairing")
        w.wait_label(page, "Repaired", 60)
        fixed_after = time.monotonic() - w.started
        log("double-click to fixed: %.1f s (budget for a person: 60 s)" % fixed_after)
        texts = w.label_texts(page)
        assert "Repaired. The problems you chose are gone." in texts, texts
        assert any("Fixed:" in t and "certificate" in t for t in texts), texts
        assert any("Fixed:" in t and "licen" in t for t in texts), texts
        assert any("administrator" in t for t in texts), "no 'run as administrator' next step"
        assert any("Remote Desktop Services" in t for t in texts), "no 'restart' next step"
        after_hash = rdp_tcp_hash(image)
        assert mslicensing_state(image) == "absent", mslicensing_state(image)
        assert after_hash and after_hash != before_hash, (before_hash, after_hash)
        log("hive after apply: MSLicensing absent, certificate %s -> %s" % (before_hash, after_hash))
        w.check_names(page)
        screenshot(shot_prefix + "6-result")

        if keyboard_only:
            rawinput.keyCombo("<Alt>u")      # "_Undo Changes"
        else:
            w.click(w.wait(lambda: w.first(page, "push button", "Undo Changes"), "Undo"))
        w.wait_label(page, "The changes were undone", 60)
        texts = w.label_texts(page)
        assert any("back as before" in t for t in texts), texts
        assert rdp_tcp_hash(image) == before_hash, (rdp_tcp_hash(image), before_hash)
        assert mslicensing_state(image) == "without-store", mslicensing_state(image)
        log("hive after undo: restored")
        screenshot(shot_prefix + "7-undone")

        if keyboard_only:
            rawinput.keyCombo("<Alt>c")      # "_Close"
        else:
            w.press_next("Close")
        w.proc.wait(15)
        assert w.proc.returncode == 0, w.proc.returncode
    finally:
        w.close()


def broken_image(tmp):
    image = os.path.join(tmp, "broken")
    make_fixture(image, "broken-cert-and-licensing")
    # The machine was reset or upgraded recently (Windows keeps the old system in
    # Windows.old): the wizard must show the user's "started after a reset" as confirmed.
    os.makedirs(os.path.join(image, "Windows.old", "Windows"))
    return image


def scenario_walk(tmp):
    walk(broken_image(tmp), False, "")


def scenario_keyboard(tmp):
    walk(broken_image(tmp), True, "keyboard-")


def scenario_cancel(tmp):
    # A disk that stops answering: the SYSTEM hive's transaction log is a FIFO nobody
    # writes to yet, so the scan's first read of it hangs the way a failing USB disk or a
    # stale network mount does. Cancel must still work at once, and the window must not
    # freeze.
    image = os.path.join(tmp, "hung")
    make_fixture(image, "healthy")
    fifo = hive_path(image, "SYSTEM.LOG1")
    os.mkfifo(fifo)

    w = Wizard([image])
    try:
        w.wait_page("What is wrong?")
        rawinput.keyCombo("<Alt>r")
        w.press_next()
        page = w.wait_page("Which Windows should be examined?")
        w.wait(lambda: w.first(w.frame, "check box", image), "the image in the target list " + repr(image))
        w.press_next()
        page = w.wait_page("Checking")
        cancel = w.wait(lambda: (lambda b: b if b is not None and b.sensitive else None)(
            w.nav_button("Cancel")), "the Cancel button during the scan", 20)
        assert w.first(page, "label", "Done:") is None, \
            "the scan finished before Cancel could be pressed; this test needs a hanging read"
        screenshot("cancel-1-scanning")
        t0 = time.monotonic()
        w.click(cancel)
        w.wait_label(page, "The scan was cancelled", 10)
        log("cancel took effect after %.2f s while the worker was still blocked"
            % (time.monotonic() - t0))
        assert not w.next_button().sensitive, "Next is available after a cancelled scan"
        assert w.first(page, "push button", "Scan Again") is not None, "no 'Scan Again'"
        screenshot("cancel-2-cancelled")
        # The window still answers: going back works.
        w.click(w.nav_button("Back"))
        w.wait_page("Which Windows should be examined?")
    finally:
        # Let the blocked worker finish (end of file on the FIFO) before closing.
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
        except OSError:
            pass
        w.close()


def scenario_watchdog(tmp):
    system = os.path.join(SHARED, "hives", "SYSTEM-win7-two-controlsets")
    if not os.path.exists(system):
        skip("shared data not found (%s); set MEND_SHARED_DATA" % system)
    image = os.path.join(tmp, "real")
    os.makedirs(os.path.join(image, "Windows", "System32", "config"))
    shutil.copy(system, hive_path(image, "SYSTEM"))
    size_mb = os.path.getsize(system) / 1e6
    watchlog = os.path.join(tmp, "watchdog.log")

    w = Wizard([image], {"MEND_WATCHDOG_LOG": watchlog})
    try:
        w.wait_page("What is wrong?")
        rawinput.keyCombo("<Alt>r")
        w.press_next()
        page = w.wait_page("Which Windows should be examined?")
        w.wait(lambda: w.first(w.frame, "check box", image), "the image in the target list " + repr(image))
        w.press_next()
        page = w.wait_page("Checking")
        w.wait_label(page, "Done:", 60)
        screenshot("watchdog-scan")
    finally:
        w.close()
    with open(watchlog) as f:
        lines = f.read().split()
    gaps = [float(x.split("=")[1]) for x in lines if x.startswith("max-gap-ms=")]
    assert gaps, "the wizard wrote no watchdog measurement"
    log("main-loop watchdog: largest gap %.1f ms while scanning the real %.1f MB SYSTEM hive"
        % (max(gaps), size_mb))
    assert max(gaps) <= 50.0, "the main loop was blocked for %.1f ms (limit 50 ms)" % max(gaps)


def scenario_translated(tmp):
    # The wizard in German and Spanish (translations compiled into build/locale): the
    # headings and buttons are translated and the pages still fit.
    image = broken_image(tmp)
    languages = [
        ("de", "Was ist das Problem?", "<Alt>w", "Welches Windows soll untersucht werden?",
         "Prüfung läuft", "Fertig:", "Was wir gefunden haben", "Zertifikat"),
        ("es", "¿Qué ocurre?", "<Alt>s", "¿Qué Windows se debe examinar?",
         "Comprobando", "Listo:", "Lo que encontramos", "Certificado"),
    ]
    for lang, welcome, next_key, target, scan, done, findings, certificate in languages:
        w = Wizard([image], {"LANGUAGE": lang})
        try:
            w.wait_page(welcome)
            rawinput.keyCombo("<Alt>r")
            screenshot("%s-1-welcome" % lang)
            rawinput.keyCombo(next_key)
            page = w.wait_page(target)
            w.wait(lambda: w.first(w.frame, "check box", image), "the image in the target list " + repr(image))
            rawinput.keyCombo(next_key)
            page = w.wait_page(scan)
            w.wait_label(page, done, 60)
            rawinput.keyCombo(next_key)
            page = w.wait_page(findings)
            stages = {n.name for n in page.findChildren(lambda n: (n.name or "").startswith(
                certificate + ":"), recursive=True)}
            assert stages, "the path picture is not translated (%s)" % lang
            log("%s: %s" % (lang, sorted(stages)))
            screenshot("%s-4-findings" % lang)
        finally:
            w.close()


SCENARIOS = {
    "walk": scenario_walk,
    "keyboard": scenario_keyboard,
    "cancel": scenario_cancel,
    "watchdog": scenario_watchdog,
    "translated": scenario_translated,
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SCENARIOS:
        print("usage: test.py %s" % "|".join(SCENARIOS))
        return 2
    tmp = tempfile.mkdtemp(prefix="rdpmend-gui-")
    try:
        SCENARIOS[sys.argv[1]](tmp)
    except SystemExit:
        raise
    except BaseException:
        # dogtail swallows uncaught exceptions at exit: print the reason ourselves.
        traceback.print_exc(file=sys.stdout)
        log("FAIL: %s" % sys.argv[1])
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log("PASS: %s" % sys.argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
