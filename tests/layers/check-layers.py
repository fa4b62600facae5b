#!/usr/bin/python3
"""check-layers.py — the folder tree of src/lib is the architecture diagram; this test keeps
it true. Fails (exit 1, naming each offending line) when

  * a file in src/lib includes a library header without its folder ("mend-hive.h" instead
    of "registry/mend-hive.h"), or a header that does not exist;
  * a lower layer includes a higher one, or one folder includes a sibling of the same rank;
  * modules (foo.c + foo.h + foo-private.h) include each other in a circle;
  * the library includes the CLI or GUI, or src/win32 (plain C, no GLib) includes the library;
  * a source file anywhere under src/ (*.c, *.h) is longer than MAX_LINES, unless LONG_FILES
    lists it as a data-only table and says why.

Usage: check-layers.py SOURCE_DIR        check the tree
       check-layers.py --self-test       prove the checker catches each kind of violation
"""
import os
import re
import sys
import tempfile

# Lowest first. Folders of the same rank are independent of each other.
RANKS = {
    "base": 0,       # errors, findings, durable files, fault points
    "registry": 1,   # values, the seam, hive files, log replay, .reg files
    "formats": 1,    # certificates, .rdp, PE resources, event logs, error codes
    "probe": 2,      # X.224 and the connection steps (uses formats/ for certificates)
    "target": 2,     # what is examined: the offline image (and the live system next)
    "checks": 3,     # the check context and every check
    "fixes": 4,      # changes, plans, the apply engine, the journal, every fix
    "session": 5,    # a diagnosis run over targets, probes and .rdp files
    "report": 6,     # text, Markdown, HTML and JSON reports of a session
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

# STYLE.md: split a file past ~900 lines along the seams it already has, with a
# foo-private.h for what the halves share.
MAX_LINES = 900
# Files under src/ allowed past MAX_LINES, each with why. Only data-only tables belong
# here (rows of a documented table, generated data): code is split instead. An entry for a
# file that is gone or back within the limit is reported, so the list cannot go stale.
LONG_FILES = {
    # "src/lib/formats/mend-foo-table.c": "only the rows of Microsoft's foo table",
}


def lib_files(lib):
    for folder in sorted(os.listdir(lib)):
        d = os.path.join(lib, folder)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith((".c", ".h")):
                yield folder, os.path.join(folder, name)


def includes(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m:
                yield n, m.group(1)


def module_of(rel):
    """foo.c, foo.h and foo-private.h (foo's interface inside its folder) are one module."""
    base = rel[:-2]
    return base[:-len("-private")] if base.endswith("-private") else base


def find_cycles(edges):
    """Tarjan's strongly connected components; returns those with more than one module."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def check(src):
    lib = os.path.join(src, "src", "lib")
    problems = []
    edges = {}
    headers = {rel for _, rel in lib_files(lib) if rel.endswith(".h")}
    for folder, rel in lib_files(lib):
        if folder not in RANKS:
            problems.append("src/lib/%s: folder %s has no layer in check-layers.py" % (rel, folder))
            continue
        module = module_of(rel)
        edges.setdefault(module, set())
        for n, inc in includes(os.path.join(lib, rel)):
            where = "src/lib/%s:%d" % (rel, n)
            top = inc.split("/")[0]
            if "/" not in inc:
                if os.path.exists(os.path.join(lib, folder, inc)) or any(
                        h.endswith("/" + inc) for h in headers):
                    problems.append('%s: include "%s" without its folder' % (where, inc))
                continue
            if inc.startswith(("gui/", "cli/", "../")):
                problems.append('%s: the library includes "%s"' % (where, inc))
                continue
            if top not in RANKS:
                continue
            if inc not in headers:
                problems.append('%s: "%s" does not exist' % (where, inc))
                continue
            if RANKS[top] > RANKS[folder]:
                problems.append('%s: %s (layer %d) includes the higher layer %s (layer %d): "%s"'
                                % (where, folder, RANKS[folder], top, RANKS[top], inc))
            elif RANKS[top] == RANKS[folder] and top != folder:
                problems.append('%s: %s includes its sibling layer %s: "%s"'
                                % (where, folder, top, inc))
            target = module_of(inc)
            if target != module:
                edges[module].add(target)
    for comp in find_cycles(edges):
        problems.append("include cycle between modules: " + " -> ".join(comp))
    w32 = os.path.join(src, "src", "win32")
    for name in sorted(os.listdir(w32)) if os.path.isdir(w32) else []:
        if name.endswith((".c", ".h")):
            for n, inc in includes(os.path.join(w32, name)):
                if inc.split("/")[0] in RANKS:
                    problems.append('src/win32/%s:%d: the plain-C Win32 layer includes "%s"'
                                    % (name, n, inc))
    return problems


def source_files(src):
    """Every .c and .h under src/, as paths relative to SRC with forward slashes."""
    for dirpath, dirnames, filenames in os.walk(os.path.join(src, "src")):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith((".c", ".h")):
                yield os.path.relpath(os.path.join(dirpath, name), src).replace(os.sep, "/")


def count_lines(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def check_lengths(src, allowed=None, limit=MAX_LINES):
    """Files under src/ longer than LIMIT lines that ALLOWED (default LONG_FILES) does not
    list with a reason, and entries of ALLOWED that no longer apply."""
    allowed = LONG_FILES if allowed is None else allowed
    problems = []
    seen = set()
    for rel in source_files(src):
        n = count_lines(os.path.join(src, rel))
        if rel in allowed:
            seen.add(rel)
            if not allowed[rel].strip():
                problems.append("%s: listed in LONG_FILES without a reason" % rel)
            if n <= limit:
                problems.append("%s: %d lines, within %d again: remove it from LONG_FILES"
                                % (rel, n, limit))
        elif n > limit:
            problems.append("%s: %d lines, over %d: split it along its seams (a -private.h "
                            "for what the halves share); only a data-only table may be "
                            "listed in LONG_FILES, with why" % (rel, n, limit))
    for rel in sorted(set(allowed) - seen):
        problems.append("%s: listed in LONG_FILES but not a source file under src/" % rel)
    return problems


def self_test_case(name, files, run, expect_problem):
    """Writes FILES (path relative to a fresh source dir: text) and runs RUN on that dir.
    Returns 0 when RUN found a problem exactly when one was expected, else 1."""
    with tempfile.TemporaryDirectory() as tmp:
        for rel, text in files.items():
            p = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
        got = run(tmp)
    if bool(got) != expect_problem:
        print("self-test %s: expected %s, got %s" % (name, "a problem" if expect_problem
                                                     else "no problem", got or "none"))
        return 1
    print("self-test %s: ok (%s)" % (name, got[0] if got else "clean"))
    return 0


def self_test_lengths():
    long_text = "int x;\n" * (MAX_LINES + 1)
    short_text = "int x;\n" * MAX_LINES
    # name: (files relative to the source dir, allowlist, a problem expected)
    cases = {
        "too-long": ({"src/lib/base/a.c": long_text}, {}, True),
        "too-long-header-outside-lib": ({"src/win32/a.h": long_text}, {}, True),
        "allowlist-without-reason": ({"src/lib/formats/t.c": long_text},
                                     {"src/lib/formats/t.c": " "}, True),
        "allowlist-stale": ({"src/lib/formats/t.c": short_text},
                            {"src/lib/formats/t.c": "only rows"}, True),
        "allowlist-missing": ({}, {"src/lib/formats/gone.c": "only rows"}, True),
        "lengths-clean": ({"src/lib/base/a.c": short_text, "src/cli/b.txt": long_text,
                           "src/lib/formats/t.c": long_text},
                          {"src/lib/formats/t.c": "only the rows of a documented table"},
                          False),
    }
    failures = 0
    for name, (files, allowed, expect_problem) in cases.items():
        failures += self_test_case(name, files, lambda tmp: check_lengths(tmp, allowed),
                                   expect_problem)
    return failures


def self_test():
    cases = {
        "upward": {"base/a.c": '#include "checks/b.h"\n', "checks/b.h": ""},
        "sibling": {"registry/a.c": '#include "formats/b.h"\n', "formats/b.h": ""},
        "unqualified": {"registry/a.c": '#include "b.h"\n', "registry/b.h": ""},
        "cycle": {"fixes/a.c": '#include "fixes/b.h"\n', "fixes/a.h": "",
                  "fixes/b.c": '#include "fixes/a.h"\n', "fixes/b.h": ""},
        "missing": {"fixes/a.c": '#include "fixes/nope.h"\n'},
        "gui": {"report/a.c": '#include "gui/mend-window.h"\n'},
    }
    clean = {"base/a.h": "", "registry/b.c": '#include "base/a.h"\n#include <glib.h>\n',
             "checks/c.c": '#include "registry/b.h"\n', "registry/b.h": '#include "base/a.h"\n'}
    failures = 0
    for name, files in list(cases.items()) + [("clean", clean)]:
        in_lib = {os.path.join("src", "lib", rel): text for rel, text in files.items()}
        failures += self_test_case(name, in_lib, check, name != "clean")
    failures += self_test_lengths()
    return 1 if failures else 0


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    problems = check(sys.argv[1])
    long_problems = check_lengths(sys.argv[1])
    for p in problems + long_problems:
        print(p)
    n = sum(1 for _ in lib_files(os.path.join(sys.argv[1], "src", "lib")))
    print("%d files in %d layers checked: %d problem(s)" % (n, len(RANKS), len(problems)))
    n = sum(1 for _ in source_files(sys.argv[1]))
    print("%d source files under src/ checked against %d lines (%d allowed longer): "
          "%d problem(s)" % (n, MAX_LINES, len(LONG_FILES), len(long_problems)))
    return 1 if problems or long_problems else 0


if __name__ == "__main__":
    sys.exit(main())
