#!/usr/bin/env python3
"""run-wine-tests.py — runs the Win32 layer's test and probe under wine in a fresh prefix,
then checks their results from the Linux side with readers that share no code with them:
wine's own registry files, hivexregedit/hivexget on a hive, Python's json and hashlib."""

import argparse
import base64
import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

SKIP = 77
checks = {"passed": 0, "failed": 0}


def check(cond, what):
    if cond:
        checks["passed"] += 1
    else:
        checks["failed"] += 1
        print(f"FAIL: {what}", file=sys.stderr)


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


# ---- .reg text: regedit's format and wine's registry files (a superset) ----

WINE_ESCAPES = {"a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "n": "\n", "r": "\r",
                "t": "\t", "v": "\v", "\\": "\\", '"': '"'}


def parse_quoted(s, i):
    """s[i] is '"'; returns (text, index after the closing quote). Handles regedit's
    \\\\ and \\" and wine's \\xHHHH, octal and C escapes."""
    assert s[i] == '"'
    i += 1
    out = []
    while i < len(s):
        c = s[i]
        if c == '"':
            return "".join(out), i + 1
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "x":
                m = re.match(r"[0-9a-fA-F]{1,4}", s[i + 2:])
                out.append(chr(int(m.group(0), 16)))
                i += 2 + len(m.group(0))
                continue
            if n in "01234567":
                m = re.match(r"[0-7]{1,3}", s[i + 1:])
                out.append(chr(int(m.group(0), 8)))
                i += 1 + len(m.group(0))
                continue
            out.append(WINE_ESCAPES.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    raise ValueError(f"unterminated string: {s!r}")


def parse_data(s):
    """Returns (type, bytes) for the right-hand side of a value line."""
    if s.startswith('"'):
        text, _ = parse_quoted(s, 0)
        return 1, text.encode("utf-16-le") + b"\0\0"
    m = re.match(r'str\(([0-9a-fA-F]+)\):', s)
    if m:
        text, _ = parse_quoted(s, m.end())
        return int(m.group(1), 16), text.encode("utf-16-le") + b"\0\0"
    if s.startswith("dword:"):
        return 4, struct.pack("<I", int(s[6:], 16))
    m = re.match(r"hex(?:\(([0-9a-fA-F]+)\))?:", s)
    if m:
        t = int(m.group(1), 16) if m.group(1) else 3
        body = s[m.end():].replace(" ", "")
        return t, bytes(int(b, 16) for b in body.split(",") if b)
    raise ValueError(f"unknown value data: {s!r}")


def parse_reg(text, wine=False):
    """{key path lower-cased: {value name: (type, bytes)}}. Wine's files escape the
    backslashes in key names and put a timestamp after the ']'."""
    keys = {}
    current = None
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        while line.endswith("\\") and i < len(lines) and not line.startswith("["):
            line = line[:-1] + lines[i].lstrip()
            i += 1
        if not line or line.startswith("#") or line.startswith(";"):
            continue
        if line.startswith("["):
            name = line[1:line.rindex("]")]
            if wine:
                name = name.replace("\\\\", "\\")
            current = keys.setdefault(name.lower(), {})
            continue
        if current is None:
            continue
        if line.startswith("@="):
            name, rest = "", line[2:]
        elif line.startswith('"'):
            name, end = parse_quoted(line, 0)
            rest = line[end + 1:]
        else:
            continue
        current[name] = parse_data(rest)
    return keys


def read_manifest(path):
    values, extra = [], {}
    with open(path, "rb") as f:
        for raw in f.read().decode("utf-8").splitlines():
            parts = raw.split("\t")
            if parts[0] == "value":
                key, name_hex, t, data_hex = parts[1:]
                values.append((key, bytes.fromhex(name_hex).decode("utf-8"), int(t),
                               bytes.fromhex(data_hex)))
            else:
                extra[parts[0]] = parts[1:]
    return values, extra


def strip_root(key):
    """HKLM\\SOFTWARE\\X -> software\\x (how wine's system.reg names it)."""
    return key.split("\\", 1)[1].lower()


def compare(parsed, manifest, prefix, what, skip_names=()):
    for key, name, t, data in manifest:
        if name in skip_names:
            continue
        k = prefix(key)
        got = parsed.get(k, {}).get(name)
        check(got == (t, data),
              f"{what}: {key} \"{name}\" is {got!r}, the layer wrote {(t, data)!r}")


def file_version(path):
    """VS_FIXEDFILEINFO straight from the PE bytes: an independent reader."""
    blob = open(path, "rb").read()
    at = blob.find(struct.pack("<I", 0xFEEF04BD))
    if at < 0:
        return None
    ms, ls = struct.unpack_from("<II", blob, at + 8)
    return f"{ms >> 16}.{ms & 0xffff}.{ls >> 16}.{ls & 0xffff}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--test-exe", default="")
    ap.add_argument("--probe-exe", default="")
    ap.add_argument("--mkhive", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()

    if not args.test_exe or not os.path.exists(args.test_exe):
        skip("x86_64-w64-mingw32-gcc is not installed (apt-get install gcc-mingw-w64-x86-64)")
    for tool, pkg in (("wine", "wine wine64"), ("wineboot", "wine"), ("wineserver", "wine"),
                      ("hivexregedit", "libhivex-bin"), ("hivexget", "libhivex-bin"),
                      ("openssl", "openssl")):
        if shutil.which(tool) is None:
            skip(f"{tool} is not installed (apt-get install {pkg})")

    tmp = tempfile.mkdtemp(prefix="mend-w32-")
    try:
        run(args, tmp)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{checks['passed']} passed, {checks['failed']} failed (Linux side)")
    return 1 if checks["failed"] else 0


def run(args, tmp):
    prefix = os.path.join(tmp, "prefix")
    work = os.path.join(tmp, "work")
    os.makedirs(work)
    env = dict(os.environ, WINEPREFIX=prefix, WINEDEBUG="-all",
               WINEDLLOVERRIDES="mscoree,mshtml,winemenubuilder.exe=")
    env.pop("DISPLAY", None)

    def winpath(p):
        return "Z:" + p.replace("/", "\\")

    def wine(*argv, timeout=120):
        return subprocess.run(["wine", *argv], env=env, capture_output=True, timeout=timeout)

    cert = os.path.join(work, "cert.der")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", os.path.join(work, "key.pem"), "-subj",
                    "/CN=w32probe.example.test", "-days", "30", "-outform", "DER",
                    "-out", cert], check=True, capture_output=True)
    der = open(cert, "rb").read()
    thumb = hashlib.sha1(der).hexdigest().upper()

    subprocess.run(["wineboot", "--init"], env=env, check=True, capture_output=True,
                   timeout=180)

    # 1. The layer's own assertions, inside wine.
    r = wine(args.test_exe, winpath(work), winpath(cert))
    sys.stdout.write(r.stdout.decode(errors="replace"))
    sys.stderr.write(r.stderr.decode(errors="replace"))
    m = re.search(rb"(\d+) passed, (\d+) failed", r.stdout)
    check(m is not None, "test-w32-layer.exe printed its summary")
    check(r.returncode == 0, f"test-w32-layer.exe exit status {r.returncode}")
    if m:
        check(int(m.group(1)) > 250 and int(m.group(2)) == 0, "test-w32-layer.exe results")
    manifest, extra = read_manifest(os.path.join(work, "manifest.txt"))
    check(len(manifest) >= 20, "manifest lists the values written")

    # 2. The probe, on the machine the test left behind (plus system files it can find).
    sys32 = os.path.join(prefix, "drive_c", "windows", "system32")
    shutil.copy(os.path.join(sys32, "notepad.exe"), os.path.join(sys32, "mstsc.exe"))
    shutil.copy(os.path.join(sys32, "mshtml.dll"), os.path.join(sys32, "mstscax.dll"))
    r = wine(args.probe_exe)
    check(r.returncode == 0, f"rdpmend-w32probe.exe exit status {r.returncode}")
    import json
    probe = json.loads(r.stdout.decode("utf-8"))
    check_probe(probe, extra, thumb, der, sys32)

    subprocess.run(["wineserver", "-w"], env=env, timeout=60)

    # 3. wine's registry files, written by wineserver: did the values really land?
    system = parse_reg(open(os.path.join(prefix, "system.reg"), encoding="utf-8",
                            errors="surrogateescape").read(), wine=True)
    compare(system, manifest, strip_root, "system.reg")
    check("software\\wow6432node\\rdpmendtest32" in system,
          "a key made through the 32-bit view lands in Wow6432Node")
    check("software\\rdpmendtest32" not in system, "and not in the 64-bit SOFTWARE")
    check(system.get("software\\rdpmendtest\\view64", {}).get("v") == (4, b"\x40\0\0\0"),
          "a key made by the layer lands in the 64-bit SOFTWARE")
    check(not any(k.startswith("software\\rdpmendtest\\del") for k in system),
          "delete_tree removed the whole tree")
    rdp = system.get("system\\currentcontrolset\\control\\terminal server\\winstations\\rdp-tcp")
    if rdp is None:     # wine saves the control set under its real name
        rdp = system.get("system\\controlset001\\control\\terminal server\\winstations\\rdp-tcp",
                         {})
    check(rdp.get("SSLCertificateSHA1Hash") == (3, bytes.fromhex(thumb)),
          "SSLCertificateSHA1Hash in system.reg is the certificate's SHA-1")
    user = parse_reg(open(os.path.join(prefix, "user.reg"), encoding="utf-8",
                          errors="surrogateescape").read(), wine=True)
    check(user.get("software\\microsoft\\terminal server client\\default", {}).get("MRU0")
          == (1, "server01.example.test".encode("utf-16-le") + b"\0\0"),
          "HKCU value in user.reg")

    # 4. The export: our own parse, then hivexregedit into a hive made by the library.
    raw = open(os.path.join(work, "export.reg"), "rb").read()
    check(raw.startswith(b"\xff\xfeW\0i\0n\0d\0o\0w\0s\0 \0"), "export starts with BOM + header")
    text = raw.decode("utf-16")
    check(text.startswith("Windows Registry Editor Version 5.00\r\n\r\n"), "header")
    check("\n" not in text.replace("\r\n", ""), "CRLF line ends only")
    exported = parse_reg(text.lstrip("\ufeff"))
    compare(exported, manifest, lambda k: ("HKEY_LOCAL_MACHINE\\" + k.split("\\", 1)[1]).lower(),
            "export.reg")

    # hivexregedit has no UTF-16 input: give it the same text as UTF-8 (it decodes names
    # but stores the bytes of quoted string data one per UTF-16 unit, so text data beyond
    # ASCII cannot survive it; those values are named and left out of this comparison).
    dropped = []
    for line in text.split("\r\n"):
        if line.startswith('"'):
            name, end = parse_quoted(line, 0)
            if line[end + 1:].startswith('"') and any(ord(c) > 127 for c in line[end + 1:]):
                dropped.append(name)
    check(dropped == ["Sz"], f"only the text value with non-ASCII data is left out: {dropped}")
    parent = ("Windows Registry Editor Version 5.00\r\n\r\n"
              "[HKEY_LOCAL_MACHINE\\SOFTWARE\\RDPMendTest]\r\n\r\n")
    with open(os.path.join(work, "parent.reg"), "wb") as f:
        f.write(parent.encode("latin-1"))
    with open(os.path.join(work, "export-utf8.reg"), "wb") as f:
        f.write(text.encode("utf-8"))
    hive = os.path.join(work, "SOFTWARE")
    subprocess.run([args.mkhive, hive, "SOFTWARE"], check=True)
    for reg in ("parent.reg", "export-utf8.reg"):
        r = subprocess.run(["hivexregedit", "--merge", "--prefix", "HKEY_LOCAL_MACHINE\\SOFTWARE",
                            hive, os.path.join(work, reg)], capture_output=True)
        check(r.returncode == 0, f"hivexregedit --merge {reg}: {r.stderr.decode(errors='replace')}")
    r = subprocess.run(["hivexregedit", "--export", "--prefix", "HKEY_LOCAL_MACHINE\\SOFTWARE",
                        hive, "\\RDPMendTest"], capture_output=True)
    check(r.returncode == 0, "hivexregedit --export")
    from_hive = parse_reg(r.stdout.decode("latin-1"))
    compare(from_hive, manifest,
            lambda k: ("HKEY_LOCAL_MACHINE\\" + k.split("\\", 1)[1]).lower(), "hive", dropped)

    def hivexget(key, name):
        r = subprocess.run(["hivexget", hive, key, name], capture_output=True)
        return r.stdout.decode("latin-1").rstrip("\n")
    check(hivexget("\\RDPMendTest\\Kept", "Dword") == "3389", "hivexget Dword")
    check(hivexget("\\RDPMendTest\\Kept\\Sub\\Deeper", "Leaf") == "7", "hivexget Leaf")
    check(hivexget("\\RDPMendTest\\Kept", "Expand") == "%SystemRoot%\\System32\\mstsc.exe",
          "hivexget Expand")
    check(hivexget("\\RDPMendTest\\Kept", "SzEmpty") == "", "hivexget SzEmpty")


def check_probe(probe, extra, thumb, der, sys32):
    check(probe.get("format") == "rdpmend-w32probe" and probe.get("format_version") == 1,
          "probe format")
    proc = probe["process"]
    admin, known, elevated = (int(x) for x in extra["process"])
    check(proc["status"] == "ok" and proc["pointer_bits"] == 64 and proc["wow64"] is False,
          "probe process")
    check(proc["admin_member"] == bool(admin), "probe admin_member agrees with the test")
    check(proc["elevated"] == (bool(elevated) if known else None), "probe elevated")

    keys = {k["path"].lower(): k for k in probe["keys"]}

    def value(path, name):
        k = keys.get(path.lower())
        if not k or k["status"] != "ok":
            return None
        return next((v for v in k["values"] if v["name"] == name), None)

    ts = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"
    v = value(ts, "fDenyTSConnections")
    check(v and v["type"] == "REG_DWORD" and v["dword"] == 1, "probe fDenyTSConnections")
    v = value(ts + "\\WinStations", "SelfSignedCertStore")
    check(v and v["string"] == "Remote Desktop", "probe SelfSignedCertStore")
    rdp = ts + "\\WinStations\\RDP-Tcp"
    v = value(rdp, "PortNumber")
    check(v and v["dword"] == 3390 and v["hex"] == "3e0d0000", "probe PortNumber")
    v = value(rdp, "SecurityLayer")
    check(v and v["dword"] == 2, "probe SecurityLayer")
    v = value(rdp, "SSLCertificateSHA1Hash")
    check(v and v["type"] == "REG_BINARY" and v["hex"].upper() == thumb,
          "probe SSLCertificateSHA1Hash = SHA-1 of the certificate")
    v = value("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\"
              "Parameters", "AllowEncryptionOracle")
    check(v and v["dword"] == 2, "probe AllowEncryptionOracle")
    v = value("HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\"
              "TLS 1.2\\Server", "Enabled")
    check(v and v["dword"] == 0, "probe SCHANNEL TLS 1.2 Server Enabled (found recursively)")
    v = value("HKLM\\SOFTWARE\\Microsoft\\MSLicensing\\HardwareID", "ClientHWID")
    check(v and v["hex"] == "02000000aabb", "probe MSLicensing ClientHWID")
    v = value("HKCU\\Software\\Microsoft\\Terminal Server Client\\Default", "MRU0")
    check(v and v["string"] == "server01.example.test", "probe HKCU MRU0")
    k = keys.get("hklm\\software\\policies\\microsoft\\windows nt\\terminal services")
    check(k and k["status"] == "not-found" and k["win32_code"] == 2,
          "probe reports a missing key as not-found")

    svcs = {s["name"]: s for s in probe["services"]}
    t = svcs["TermService"]
    check(t["status"] == "ok" and t["start"] == "demand" and t["state_name"] == "stopped",
          "probe TermService")
    s = svcs["SessionEnv"]
    check(s["status"] == "ok" and s["start_type"] == 4 and s["start"] == "disabled"
          and "svchost.exe -k netsvcs" in s["binary_path"], "probe SessionEnv (disabled)")
    u = svcs["UmRdpService"]
    check(u["status"] == "not-found" and u["win32_code"] == 1060, "probe UmRdpService absent")

    files = {f["name"]: f for f in probe["files"]}
    for name, src in (("mstsc.exe", "mstsc.exe"), ("mstscax.dll", "mstscax.dll")):
        f = files[name]
        path = os.path.join(sys32, src)
        check(f["status"] == "ok" and f["exists"] is True, f"probe {name} exists")
        check(f["path"].lower().endswith("\\system32\\" + name), f"probe {name} path")
        check(f["size"] == os.path.getsize(path), f"probe {name} size")
        check(f["version"] == file_version(path),
              f"probe {name} version {f['version']} = PE resource {file_version(path)}")
    check(probe["temp"]["writable"] is True and probe["temp"]["exists"] is True, "probe temp")

    stores = {s["store"]: s for s in probe["cert_stores"]}
    rd = stores["Remote Desktop"]
    check(rd["status"] == "ok" and len(rd["certificates"]) == 1, "probe Remote Desktop store")
    if rd.get("certificates"):
        c = rd["certificates"][0]
        check(c["thumbprint"] == thumb, "probe thumbprint = SHA-1 of the DER")
        check(base64.b64decode(c["der_base64"]) == der, "probe DER bytes")
        check(c["subject"] == "w32probe.example.test", "probe subject")
        kp = c["key_provider_info"]
        check(kp and kp["container"] == "TSSecKeySet1" and kp["provider_type"] == 12
              and kp["flags"] == 32 and kp["key_spec"] == 1, "probe key provider info")
        check(c["not_after"] - c["not_before"] == 30 * 86400, "probe validity (30 days)")
    my = stores["MY"]
    check(my["status"] == "ok" and len(my["certificates"]) == 1
          and my["certificates"][0]["key_provider_info"] is None, "probe MY store")


if __name__ == "__main__":
    sys.exit(main())
