#!/usr/bin/env python3
"""Diagnosis speed on large SYSTEM hives: rdpmend-cli against hivexregedit --export of the
same keys, on the same files, in one run. Prints medians and ratios (not a pass/fail test).

Usage: bench/diagnose/bench.py BUILD_DIR [SHARED_DATA_DIR]
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
shared = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "../../../shared/data"))
cli = os.path.join(build, "src/cli/rdpmend-cli")
mkfixture = os.path.join(build, "tests/fixtures/mend-mkfixture")
RUNS = int(os.environ.get("BENCH_RUNS", "15"))

# The keys diagnosis reads from SYSTEM (below the current control set).
KEYS = ["Control\\Terminal Server", "Services\\TermService", "Services\\SessionEnv",
        "Services\\UmRdpService", "Services\\SharedAccess\\Parameters\\FirewallPolicy",
        "Control\\SecurityProviders\\SCHANNEL", "Control\\Session Manager"]

def timed(cmd, runs=RUNS):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
        if r.returncode not in (0, 1):
            raise SystemExit(f"{cmd[0]} exited {r.returncode}")
    return statistics.median(times)

def image_with(system_hive, tmp, name):
    root = os.path.join(tmp, name)
    cfg = os.path.join(root, "Windows/System32/config")
    os.makedirs(cfg)
    shutil.copy(system_hive, os.path.join(cfg, "SYSTEM"))
    return root

def current_set(hive):
    out = subprocess.run(["hivexget", hive, "\\Select", "Current"], capture_output=True, text=True).stdout
    return int(out.strip() or "1")

def main():
    if not shutil.which("hivexregedit"):
        print("hivexregedit not installed (package libhivex-bin): nothing to compare with")
        return 77
    tmp = tempfile.mkdtemp(prefix="rdpmend-bench-")
    images = []
    gen = os.path.join(tmp, "generated")
    subprocess.run([mkfixture, gen, "large"], check=True, stdout=subprocess.DEVNULL)
    images.append(("generated (fixture 'large')", gen))
    for rel, label in [("hives/SYSTEM-win7-two-controlsets", "real Win7 SYSTEM"),
                       ("hives/dirty-with-logs/SYSTEM_B", "real Win10 SYSTEM (dirty)")]:
        p = os.path.join(shared, rel)
        if os.path.exists(p):
            images.append((label, image_with(p, tmp, os.path.basename(p))))
    print(f"{'image':32} {'SYSTEM MB':>9} {'rdpmend ms':>11} {'hivexregedit ms':>16} {'ratio':>7}")
    for label, root in images:
        hive = os.path.join(root, "Windows/System32/config/SYSTEM")
        size = os.path.getsize(hive) / 1e6
        ours = timed([cli, "diagnose", "--image", root, "--json"])
        cs = f"ControlSet{current_set(hive):03d}"
        def peer():
            for k in KEYS:
                subprocess.run(["hivexregedit", "--export", hive, f"\\{cs}\\{k}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times = []
        for _ in range(max(3, RUNS // 3)):
            t = time.perf_counter(); peer(); times.append(time.perf_counter() - t)
        theirs = statistics.median(times)
        print(f"{label:32} {size:9.1f} {ours*1000:11.1f} {theirs*1000:16.1f} {theirs/ours:6.1f}x")
    shutil.rmtree(tmp)
    print(f"\nrdpmend: full diagnosis (every check, JSON out), median of {RUNS} runs.")
    print(f"hivexregedit: export of the {len(KEYS)} SYSTEM keys diagnosis reads, one process per key.")
    return 0

if __name__ == "__main__":
    sys.exit(main())
