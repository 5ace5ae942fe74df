#!/usr/bin/env python3
"""`make bench`: kryteria batch (--jobs 1 and all cores) against the stock-Lua baseline.

usage: bench/bench.py --bin .build/release/kryteria [--n 200000] [--rule ps-status] [--keep]

Generates bench/out/batch-N.jsonl (fixed seed) when missing, runs each contender under
/usr/bin/time, checks it wrote one line per record, and prints records/s, µs/record,
peak RSS and the ratios to the baseline.
"""
import argparse, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")


def run(label, cmd, out_path, n):
    if os.path.exists(out_path):
        os.remove(out_path)
    t0 = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "KB_TIME %M %e"] + cmd, cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t0
    rss_kb, elapsed = 0, wall
    for line in p.stderr.splitlines():
        if line.startswith("KB_TIME "):
            _, kb, secs = line.split()
            rss_kb, elapsed = int(kb), float(secs)
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr)
        sys.exit("bench: %s failed (exit status %d)" % (label, p.returncode))
    with open(out_path, "rb") as f:
        lines = sum(buf.count(b"\n") for buf in iter(lambda: f.read(1 << 20), b""))
    if lines != n:
        sys.exit("bench: %s wrote %d lines for %d records" % (label, lines, n))
    return {"label": label, "secs": elapsed, "rss_kb": rss_kb, "rate": n / elapsed if elapsed else 0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/kryteria"))
    ap.add_argument("--n", type=int, default=200000)
    ap.add_argument("--rule", default="ps-status")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--keep", action="store_true", help="keep the result files")
    ap.add_argument("--no-baseline", action="store_true")
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    inp = os.path.join(OUT, "batch-%d.jsonl" % a.n)
    if not os.path.exists(inp):
        print("== generating %s (%d records, fixed seed)" % (os.path.relpath(inp, ROOT), a.n), flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(a.n), inp + ".tmp"], check=True)
        os.replace(inp + ".tmp", inp)
    size = os.path.getsize(inp)
    print("== input: %s, %d records, %.1f MiB (%.0f bytes/record), rule %s, %d cores"
          % (os.path.relpath(inp, ROOT), a.n, size / 2**20, size / a.n, a.rule, os.cpu_count() or 1), flush=True)

    results = []
    outs = []
    for jobs in sorted({1, a.jobs}):
        o = os.path.join(OUT, "kryteria-j%d.jsonl" % jobs)
        outs.append(o)
        print("== kryteria batch --jobs %d" % jobs, flush=True)
        results.append(run("kryteria --jobs %d" % jobs,
                           [a.bin, "batch", inp, "--rule", a.rule, "--jobs", str(jobs), "-q", "-o", o], o, a.n))
    base = None
    if not a.no_baseline:
        o = os.path.join(OUT, "baseline.jsonl")
        outs.append(o)
        print("== baseline: lua5.4 bench/baseline.lua (lua-cjson)", flush=True)
        base = run("baseline lua5.4 + cjson",
                   ["lua5.4", "bench/baseline.lua", "Sources/Kryteria/Runtime/Prelude", "Rules", inp, o, a.rule], o, a.n)
        results.append(base)

    print()
    print("%-26s %12s %12s %10s %12s" % ("", "records/s", "µs/record", "peak RSS", "× baseline"))
    for r in results:
        ratio = ("%.2f×" % (r["rate"] / base["rate"])) if base and base["rate"] else "-"
        print("%-26s %12s %12.1f %7.1f MiB %12s" % (r["label"], "{:,}".format(int(r["rate"])).replace(",", " "),
                                                    1e6 / r["rate"] if r["rate"] else 0, r["rss_kb"] / 1024, ratio))
    if not a.keep:
        for o in outs:
            if os.path.exists(o):
                os.remove(o)


if __name__ == "__main__":
    main()
