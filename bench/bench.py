#!/usr/bin/env python3
"""`make bench`: kryteria against a hand-written peer and the stock-Lua baseline, side by side, in one run.

usage: bench/bench.py [--bin .build/release/kryteria] [--n 100000] [--repeat 3] [--workload enterprises|applications]
                      [--jobs CORES] [--keep] [--only NAME,NAME]

Contenders (each a whole process: JSON Lines on stdin, one result line per record on stdout, timed with
/usr/bin/time for peak RSS):
  kryteria --jobs 1    kryteria batch --rule ps-status --jobs 1   (applications: every rule that applies)
  kryteria --jobs N    the same with all cores
  peer lua5.4+cjson    bench/peer/ps_status.lua: the ps-status decision written by hand (enterprises only)
  baseline             bench/baseline.lua: today's prelude and rule files on stock lua5.4 + lua-cjson
The runs are interleaved (round 1: every contender, round 2: every contender, ...), so drift on a shared machine
hits every row alike; the table gives the median of the rounds and the min-max spread of records/s, the largest
peak RSS, and the ratio of the medians to the hand-written peer (and to the baseline). Every run must write exactly
one line per record. The same generated input (bench/generate.py, fixed seed) feeds every contender.
"""
import argparse, hashlib, json, os, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")


def generate(n, workload):
    """bench/out/<workload>-N.jsonl, regenerated when bench/generate.py is newer than it."""
    path = os.path.join(OUT, "%s-%d.jsonl" % (workload, n))
    gen = os.path.join(HERE, "generate.py")
    if not os.path.exists(path) or os.path.getmtime(path) < os.path.getmtime(gen):
        print("== generating %s (%d %s, fixed seed)" % (os.path.relpath(path, ROOT), n, workload), flush=True)
        subprocess.run([sys.executable, gen, str(n), path + ".tmp", "--workload", workload], check=True)
        os.replace(path + ".tmp", path)
    return path


def count_lines(path):
    with open(path, "rb") as f:
        return sum(buf.count(b"\n") for buf in iter(lambda: f.read(1 << 20), b""))


def run_once(c, inp, n):
    out = c["out"]
    with open(inp, "rb") as fin, open(out, "wb") as fout:
        t0 = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-f", "BENCH_TIME %e %M %U %S"] + c["cmd"], cwd=ROOT,
                           stdin=fin, stdout=fout, stderr=subprocess.PIPE, text=True)
        wall = time.monotonic() - t0
    rss_kb = cpu = 0
    for line in p.stderr.splitlines():
        if line.startswith("BENCH_TIME "):
            _, _, kb, user, sys_ = line.split()
            rss_kb, cpu = int(kb), float(user) + float(sys_)
    # kryteria exits 1 when some records were invalid (their error lines are written)
    if p.returncode not in (0, 1) or (p.returncode == 1 and not c["name"].startswith("kryteria")):
        sys.stderr.write(p.stderr[-3000:])
        sys.exit("bench: %s failed (exit status %d)" % (c["label"], p.returncode))
    lines = count_lines(out)
    if lines != n:
        sys.exit("bench: %s wrote %d lines for %d records" % (c["label"], lines, n))
    return {"secs": wall, "rss_kb": rss_kb, "cpu": cpu}


def outcomes(path, key):
    """The first rule outcome of each result line (None for an error line)."""
    res = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            rs = rec.get("results") or []
            if key:
                rs = [r for r in rs if r.get("rule") == key]
            res.append(rs[0].get("outcome") if rs else None)
    return res


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for buf in iter(lambda: f.read(1 << 20), b""):
            h.update(buf)
    return h.hexdigest()


def fmt_int(x):
    return "{:,}".format(int(round(x))).replace(",", " ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/kryteria"))
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workload", choices=("enterprises", "applications"), default="enterprises")
    ap.add_argument("--rule", default="ps-status", help="the rule for the enterprises workload")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="cores for the all-cores run")
    ap.add_argument("--only", default="", help="comma-separated subset: kryteria-j1,kryteria-jN,peer,baseline")
    ap.add_argument("--keep", action="store_true", help="keep the result files in bench/out/")
    a = ap.parse_args()
    if a.repeat < 1 or a.n < 1:
        sys.exit("bench: --n and --repeat must be at least 1")
    if not os.access(a.bin, os.X_OK):
        sys.exit("bench: no kryteria binary at %s (swift build -c release)" % a.bin)
    os.makedirs(OUT, exist_ok=True)
    inp = generate(a.n, a.workload)
    size = os.path.getsize(inp)
    ents = a.workload == "enterprises"
    rule_args = ["--rule", a.rule] if ents else []
    what = ("rule %s" % a.rule) if ents else "all rules that apply"

    cs = [
        {"name": "kryteria-j1", "label": "kryteria batch --jobs 1",
         "cmd": [a.bin, "batch", "--rules", "Rules"] + rule_args + ["--jobs", "1", "-q"]},
        {"name": "kryteria-jN", "label": "kryteria batch --jobs %d" % a.jobs,
         "cmd": [a.bin, "batch", "--rules", "Rules"] + rule_args + ["--jobs", str(a.jobs), "-q"]},
    ]
    if ents:
        cs.append({"name": "peer", "label": "peer: lua5.4+cjson by hand",
                   "cmd": ["lua5.4", "bench/peer/ps_status.lua"]})
    cs.append({"name": "baseline", "label": "baseline: prelude on lua5.4",
               "cmd": ["lua5.4", "bench/baseline.lua", "Sources/Kryteria/Runtime/Prelude", "Rules",
                       "/dev/stdin", "/dev/stdout"] + ([a.rule] if ents else [])})
    if a.only:
        keep = set(a.only.split(","))
        cs = [c for c in cs if c["name"] in keep]
        if not cs:
            sys.exit("bench: --only names none of kryteria-j1,kryteria-jN,peer,baseline")
    for c in cs:
        c["out"] = os.path.join(OUT, "run-%s.jsonl" % c["name"])
        c["runs"] = []

    print("== input: %s, %s records, %.1f MiB (%.0f bytes/record), %s; %d cores; %d interleaved round%s"
          % (os.path.relpath(inp, ROOT), fmt_int(a.n), size / 2**20, size / a.n, what, os.cpu_count() or 1,
             a.repeat, "" if a.repeat == 1 else "s"), flush=True)
    count_lines(inp)   # into the page cache before the first timed run
    load0 = os.getloadavg()[0]
    for r in range(1, a.repeat + 1):
        for c in cs:
            x = run_once(c, inp, a.n)
            c["runs"].append(x)
            print("   round %d  %-30s %7.2f s  %8s records/s  %6.1f MiB"
                  % (r, c["label"], x["secs"], fmt_int(a.n / x["secs"]), x["rss_kb"] / 1024), flush=True)

    for c in cs:
        secs = [x["secs"] for x in c["runs"]]
        c["med"] = statistics.median(secs)
        c["rate"] = a.n / c["med"]
        c["lo"], c["hi"] = a.n / max(secs), a.n / min(secs)
        c["rss"] = max(x["rss_kb"] for x in c["runs"]) / 1024
        c["cpu_us"] = statistics.median(x["cpu"] for x in c["runs"]) / a.n * 1e6
    by = {c["name"]: c for c in cs}
    peer, base = by.get("peer"), by.get("baseline")

    print("== load average (1 min) before the runs %.2f, after %.2f on %d cores: above the core count, other work "
          "shared the machine" % (load0, os.getloadavg()[0], os.cpu_count() or 1))
    print()
    title = ("ps-status on %s enterprise profiles" % fmt_int(a.n)) if ents else \
        ("%s applications, all rules" % fmt_int(a.n))
    print("%s, median of %d interleaved run%s (whole processes, JSON Lines in and out)"
          % (title, a.repeat, "" if a.repeat == 1 else "s"))
    head = "%-30s %11s %17s %10s %10s %9s %8s %10s" % ("", "records/s", "min–max", "µs/record", "CPU µs/rec",
                                                       "peak MiB", "× peer", "× baseline")
    print(head)
    for c in cs:
        rp = ("%.2f" % (c["rate"] / peer["rate"])) if peer else "-"
        rb = ("%.2f" % (c["rate"] / base["rate"])) if base else "-"
        print("%-30s %11s %17s %10.1f %10.1f %9.1f %8s %10s"
              % (c["label"], fmt_int(c["rate"]), "%s–%s" % (fmt_int(c["lo"]), fmt_int(c["hi"])),
                 1e6 / c["rate"], c["cpu_us"], c["rss"], rp, rb))

    # information: agreement of outcomes, identical output across job counts
    key = a.rule if ents else None
    k1 = by.get("kryteria-j1") or by.get("kryteria-jN")
    if k1:
        ko = outcomes(k1["out"], key)
        if peer:
            po = outcomes(peer["out"], a.rule)
            same = sum(1 for x, y in zip(ko, po) if x == y)
            print("rule outcome, kryteria = hand-written peer: %s of %s records (%.2f%%; for information — the peer "
                  "simplifies, see bench/peer/ps_status.lua)" % (fmt_int(same), fmt_int(a.n), 100.0 * same / a.n))
        if base:
            # the baseline evaluates with today's prelude; for applications compare every rule's outcome
            if ents:
                bo = outcomes(base["out"], key)
                same = sum(1 for x, y in zip(ko, bo) if x == y)
                print("rule outcome, kryteria = baseline: %s of %s records" % (fmt_int(same), fmt_int(a.n)))
            else:
                def all_outcomes(p):
                    with open(p, encoding="utf-8") as f:
                        return [tuple((r.get("rule"), r.get("outcome")) for r in (json.loads(l).get("results") or []))
                                for l in f]
                same = sum(1 for x, y in zip(all_outcomes(k1["out"]), all_outcomes(base["out"])) if x == y)
                print("every rule's outcome, kryteria = baseline: %s of %s records" % (fmt_int(same), fmt_int(a.n)))
        if "kryteria-j1" in by and "kryteria-jN" in by:
            eq = digest(by["kryteria-j1"]["out"]) == digest(by["kryteria-jN"]["out"])
            print("kryteria --jobs 1 and --jobs %d results byte-identical: %s" % (a.jobs, "yes" if eq else "NO"))
    if not a.keep:
        for c in cs:
            if os.path.exists(c["out"]):
                os.remove(c["out"])


if __name__ == "__main__":
    main()
