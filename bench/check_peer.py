#!/usr/bin/env python3
"""`make bench-check`: is the hand-written peer still the same decision as Rules/ps-status.lua?

usage: bench/check_peer.py [--bin .build/release/kryteria] [--n 5000] [--seed S]

Generates N enterprise profiles (bench/generate.py; a seed of its own, so not the timed input), runs
`kryteria batch --rule ps-status` and `lua5.4 bench/peer/ps_status.lua` on them and compares, record by record,
the rule outcome and, per criterion, the outcome, the reason, the legal basis and the missing fields. Prints the
first differences of each kind and exits 1 when there is any. When the rules or their parameters change, this
says which criterion of the peer to update. Needs a kryteria binary (swift build -c release).
"""
import argparse, collections, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")


def results(cmd, inp):
    with open(inp, "rb") as f:
        p = subprocess.run(cmd, cwd=ROOT, stdin=f, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr.decode("utf-8", "replace")[-2000:])
        sys.exit("check_peer: %s failed (exit status %d)" % (cmd[0], p.returncode))
    return [json.loads(l) for l in p.stdout.decode("utf-8").splitlines()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/kryteria"))
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    inp = os.path.join(OUT, "check-%d-%d.jsonl" % (a.n, a.seed))
    subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(a.n), inp, "--seed", str(a.seed)], check=True)
    kr = results([a.bin, "batch", "--rules", "Rules", "--rule", "ps-status", "--jobs", "1", "-q"], inp)
    pe = results(["lua5.4", os.path.join("bench", "peer", "ps_status.lua")], inp)
    if len(kr) != a.n or len(pe) != a.n:
        sys.exit("check_peer: %d records, kryteria wrote %d lines, the peer %d" % (a.n, len(kr), len(pe)))
    diffs, first = collections.Counter(), {}
    for line, (k, p) in enumerate(zip(kr, pe), 1):
        if ("error" in k) != ("error" in p):
            diffs[("record", "error")] += 1
            first.setdefault(("record", "error"), (line, k.get("error"), p.get("error")))
            continue
        if "error" in k:
            continue
        rk, rp = k["results"][0], p["results"][0]
        if rk["outcome"] != rp["outcome"]:
            diffs[("rule", "outcome")] += 1
            first.setdefault(("rule", "outcome"), (line, rk["outcome"], rp["outcome"]))
        ck = {c["id"]: c for c in rk["criteria"]}
        for cp in rp["criteria"]:
            c = ck.get(cp["id"], {})
            for field in ("outcome", "reason", "legal_basis", "missing"):
                if c.get(field) != cp.get(field):
                    diffs[(cp["id"], field)] += 1
                    first.setdefault((cp["id"], field), (line, c.get(field), cp.get(field)))
    if not diffs:
        print("check_peer: %d profiles, the peer and kryteria agree on every rule outcome and on every criterion's "
              "outcome, reason, legal basis and missing fields" % a.n)
        return
    print("check_peer: differences between kryteria and the peer on %d profiles (%s):" % (a.n, os.path.relpath(inp, ROOT)))
    for (where, field), count in sorted(diffs.items()):
        line, kv, pv = first[(where, field)]
        print("  %s %s: %d records; first on line %d: kryteria %s, peer %s"
              % (where, field, count, line, json.dumps(kv, ensure_ascii=False), json.dumps(pv, ensure_ascii=False)))
    sys.exit(1)


if __name__ == "__main__":
    main()
