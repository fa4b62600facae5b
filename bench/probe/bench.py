#!/usr/bin/env python3
"""bench/probe/bench.py — the probe against nmap's rdp-enum-encryption and sslscan --rdp on
the same loopback servers in one run (whole-process time, and which answers each gets right),
then one probe of 200 listeners at once.

    python3 bench/probe/bench.py [--build build] [--runs 3] [--many 200]

Servers come from tests/probe/mend-probe-servers.sh (xrdp, FreeRDP shadow under Xvfb); the
200 listeners are tests/probe/mend-hostile-peer in its "rdp-tls" mode (a complete TLS-only
RDP listener on GnuTLS). Everything listens on 127.0.0.1 and is stopped at the end.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SERVERS_SH = os.path.join(ROOT, "tests", "probe", "mend-probe-servers.sh")

# What each server is configured to do (mend-probe-servers.sh), as a Windows client would
# see it: the protocol selected for SSL|HYBRID (or the failure), whether NLA is required,
# the TLS versions it accepts (OpenSSL 3 defaults: 1.2 and 1.3 unless configured), and
# whether its certificate is out of its validity period.
TRUTH = {
    "xrdp-valid":   {"verdict": "ssl", "nla_required": False, "tls": {"1.2", "1.3"}, "expired": False},
    "xrdp-expired": {"verdict": "ssl", "nla_required": False, "tls": {"1.2", "1.3"}, "expired": True},
    "xrdp-tls10":   {"verdict": "ssl", "nla_required": False, "tls": {"1.0"}, "expired": False},
    "xrdp-rdp":     {"verdict": "rdp", "nla_required": False, "tls": set()},
    "xrdp-nocert":  {"verdict": "fail:ssl-cert-not-on-server", "tls": set()},
    "shadow-nla":   {"verdict": "hybrid", "nla_required": True, "tls": {"1.2", "1.3"}, "expired": False},
    "shadow-tls":   {"verdict": "ssl", "nla_required": False, "tls": {"1.2", "1.3"}, "expired": False},
    "shadow-rdp":   {"verdict": "fail:ssl-not-allowed", "nla_required": False, "tls": set()},
}
FACTS = ["verdict", "nla_required", "tls", "expired"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(argv, env=None):
    start = time.monotonic()
    p = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    return time.monotonic() - start, p.stdout, p.returncode


# ---- what each tool says --------------------------------------------------------------

def facts_rdpmend(out):
    doc = json.loads(out)
    f = {}
    for x in doc["findings"]:
        if x["id"] == "probe.negotiation-failure":
            f["verdict"] = "fail:" + x["code"]
        if x["id"] == "probe.summary":
            if "verdict" not in f and x.get("selected_protocol"):
                f["verdict"] = x["selected_protocol"]
            if x.get("nla_required") is not None:
                f["nla_required"] = x["nla_required"]
            if "tls_versions" in x:
                f["tls"] = set(x["tls_versions"])
            if "certificate" in x:
                f.setdefault("expired", False)
        if x["id"] == "probe.certificate-expired":
            f["expired"] = True
        if x["id"] in ("probe.not-rdp", "probe.unreachable"):
            f["verdict"] = x["id"] + ":" + x.get("reason", "")
    return f


def facts_nmap(out):
    layers = dict(re.findall(r"\|\s+([A-Za-z ()]+?): (SUCCESS|FAILED)", out))
    ok = {k for k, v in layers.items() if v == "SUCCESS"}
    f = {}
    if not layers:
        return f
    # nmap lists every layer it could negotiate alone; what a client asking for TLS and
    # CredSSP gets is not reported, so read it the way its users do.
    if "CredSSP (NLA)" in ok:
        f["verdict"] = "hybrid"
    elif "SSL" in ok:
        f["verdict"] = "ssl"
    elif "Native RDP" in ok:
        f["verdict"] = "rdp"
    f["nla_required"] = "CredSSP (NLA)" in ok and "SSL" not in ok and "Native RDP" not in ok
    return f


def facts_sslscan(out):
    f = {}
    versions = {m.group(1) for m in re.finditer(r"^TLSv(1\.[0-3])\s+enabled", out, re.M)}
    if re.search(r"^TLSv1\.[0-3]\s+(enabled|disabled)", out, re.M):
        f["tls"] = versions
    m1 = re.search(r"Not valid before:\s+(.+)", out)
    m2 = re.search(r"Not valid after:\s+(.+)", out)
    if m1 and m2:
        def parse(s):
            return datetime.datetime.strptime(" ".join(s.split()), "%b %d %H:%M:%S %Y GMT")
        now = datetime.datetime.utcnow()
        f["expired"] = not (parse(m1.group(1)) <= now <= parse(m2.group(1)))
    return f


# ---- run ---------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--many", type=int, default=200)
    args = ap.parse_args()

    cli = os.path.join(args.build, "src", "cli", "rdpmend-cli")
    peer_exe = os.path.join(args.build, "tests", "probe", "mend-hostile-peer")
    for exe in (cli, peer_exe):
        if not os.access(exe, os.X_OK):
            sys.exit(f"build first: {exe} is missing")
    tools = {"rdpmend": True, "nmap": shutil.which("nmap"), "sslscan": shutil.which("sslscan")}

    work = tempfile.mkdtemp(prefix="mend-bench-probe-")
    ports = {name: free_port() for name in TRUTH}
    specs = [f"{n}={p}" for n, p in ports.items()]
    peer = None
    try:
        subprocess.run(["bash", SERVERS_SH, "start", work] + specs, check=True)
        rows = []
        totals = {t: {"time": 0.0, "right": 0, "wrong": 0, "none": 0} for t in tools}
        for name, port in ports.items():
            truth = TRUTH[name]
            hp = f"127.0.0.1:{port}"
            cmds = {
                "rdpmend": [cli, "probe", "--json", "--timeout", "5", hp],
                "nmap": ["nmap", "-Pn", "-n", "-p", str(port), "--script", "+rdp-enum-encryption",
                         "127.0.0.1"],
                "sslscan": ["sslscan", "--rdp", "--no-colour", hp],
            }
            parsers = {"rdpmend": facts_rdpmend, "nmap": facts_nmap, "sslscan": facts_sslscan}
            row = {"server": name}
            for tool, present in tools.items():
                if not present:
                    continue
                times, out = [], ""
                for _ in range(args.runs):
                    t, out, _rc = timed(cmds[tool])
                    times.append(t)
                try:
                    said = parsers[tool](out)
                except Exception as e:  # a tool that printed nothing usable
                    said = {}
                    print(f"  {tool} on {name}: output not usable ({e})", file=sys.stderr)
                marks = []
                for fact in FACTS:
                    if fact not in truth:
                        continue
                    if fact not in said:
                        marks.append("·")
                        totals[tool]["none"] += 1
                    elif said[fact] == truth[fact]:
                        marks.append("✓")
                        totals[tool]["right"] += 1
                    else:
                        marks.append("✗")
                        totals[tool]["wrong"] += 1
                med = statistics.median(times)
                totals[tool]["time"] += med
                row[tool] = (med, "".join(marks), said)
            rows.append(row)

        print(f"\n## Per server (median of {args.runs} runs, whole process)\n")
        print("facts in order: verdict, NLA required, TLS versions, certificate expired "
              "(✓ right, ✗ wrong, · not reported)\n")
        print("| server | " + " | ".join(f"{t} s | {t} facts" for t in tools if tools[t]) + " |")
        print("|---|" + "---|---|" * sum(1 for t in tools if tools[t]))
        for row in rows:
            cells = []
            for t in tools:
                if tools[t]:
                    med, marks, _ = row[t]
                    cells += [f"{med:.2f}", marks]
            print(f"| {row['server']} | " + " | ".join(cells) + " |")
        print("\n## Totals\n")
        print("| tool | total s | right | wrong | not reported |")
        print("|---|---|---|---|---|")
        for t, v in totals.items():
            if tools[t]:
                print(f"| {t} | {v['time']:.2f} | {v['right']} | {v['wrong']} | {v['none']} |")
        if tools["nmap"]:
            print(f"\nrdpmend vs nmap: {totals['nmap']['time'] / totals['rdpmend']['time']:.1f}x faster")
        if tools["sslscan"]:
            print(f"rdpmend vs sslscan: {totals['sslscan']['time'] / totals['rdpmend']['time']:.1f}x faster")
        for row in rows:
            for t in tools:
                if tools[t]:
                    said = {k: sorted(v) if isinstance(v, set) else v for k, v in row[t][2].items()}
                    print(f"  {row['server']:13} {t:8} {said}", file=sys.stderr)

        # ---- many listeners at once --------------------------------------------------
        modes = ["rdp-tls"] * args.many
        peer = subprocess.Popen([peer_exe] + modes, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                text=True)
        many_ports = []
        for line in peer.stdout:
            line = line.strip()
            if line == "ready":
                break
            many_ports.append(int(line.split()[1]))
        hosts = os.path.join(work, "hosts.txt")
        with open(hosts, "w") as fh:
            fh.write("".join(f"127.0.0.1:{p}\n" for p in many_ports))
        t, out, rc = timed([cli, "probe", "--json", "--timeout", "5", "--parallel", str(args.many),
                            "--probe-file", hosts])
        doc = json.loads(out)
        complete = sum(1 for x in doc["findings"]
                       if x["id"] == "probe.summary" and len(x.get("tls_versions", [])) == 4)
        print(f"\n## {args.many} listeners at once\n")
        print(f"rdpmend-cli probe --parallel {args.many}: {t:.2f} s wall, "
              f"{complete}/{args.many} complete answers (selected protocol, NLA, 4 TLS versions, "
              f"certificate)")
        if tools["nmap"]:
            t2, out2, _ = timed(["nmap", "-Pn", "-n", "-p", ",".join(map(str, many_ports)),
                                 "--script", "+rdp-enum-encryption", "127.0.0.1"])
            answered = out2.count("rdp-enum-encryption:")
            print(f"nmap --script +rdp-enum-encryption on the same {args.many} ports: {t2:.2f} s "
                  f"wall, {answered} ports with a script result ({t2 / t:.1f}x the probe's time)")
    finally:
        if peer is not None:
            peer.stdin.close()
            peer.wait(timeout=10)
        subprocess.run(["bash", SERVERS_SH, "stop", work])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
