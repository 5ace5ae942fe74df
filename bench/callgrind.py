#!/usr/bin/env python3
"""`make bench-callgrind`: instructions per record, per stage, counted by valgrind's callgrind.

usage: bench/callgrind.py [--bin .build/release/kryteria] [--n 2000] [--workload enterprises|applications]
                          [--rule ps-status] [--no-peer] [--symbols NAME,NAME]
       CG_RULES=DIR bench/callgrind.py ...   the same on another rules folder (e.g. a copy whose criteria all
                                             `return true`, to weigh the framework against the criteria)

Runs `kryteria batch --jobs 1` under `valgrind --tool=callgrind` twice on the same generated input as `make bench`:
once with N records and once with none. The difference, divided by N, is what one record costs, without the start-up
(loading and compiling the rules); instruction counts do not depend on the load of the machine, so two designs can be
compared by them run to run. Stages are inclusive counts of C functions (callgrind_annotate --inclusive=yes):

  kr_call            one engine call: decode + evaluate + encode (the rest of the process is Swift: input, output)
  kr_json_decode_profile  the profile JSON -> Lua tables, validated while read (the schema of its kind,
                     compiled in C, applied value by value: validation fused into decoding)
  kr_valid_lua       JSON Schema validation by the C fast path called from the prelude: only for a profile
                     the reader could not vouch for (its first key not "kind", its kind's first record)
  l_guard            the rules: every run_rule under KR_GUARD (criteria, reasons, nested rules)
  kr_json_encode     the result -> JSON text
  kr_hook            the instruction-count hook (part of the stages above; armed only in a rule still running
                     after a grace, so normally absent); kr_alloc: the Lua allocator (likewise)
and two derived rows: the prelude's own work in K.evaluate (l_call - decode - encode - validation - rules) and what
lies outside the engine call (process total - kr_call). A stage whose symbol is not in the profile (renamed or
inlined by a new design) is shown as "-"; add symbols of a new design with --symbols (or CALLGRIND_SYMBOLS=...).
The hand-written peer (bench/peer/ps_status.lua on lua5.4) is counted the same way, as one whole-process figure.

valgrind 3.19 (Debian 12) cannot read the DWARF 5 debug information that Swift 6 writes, so the binary is copied
without its debug sections (objcopy --strip-debug; the symbol table stays) to bench/out/ and that copy is profiled.
"""
import argparse, os, re, shutil, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
sys.path.insert(0, HERE)
from bench import generate, fmt_int  # noqa: E402

STAGES = [
    ("kr_call", "engine call (decode + evaluate + encode)", 0),
    ("kr_json_decode_profile", "JSON decode, validation fused in", 1),
    ("kr_valid_lua", "schema validation left to KR_VALID", 1),
    ("l_guard", "rules (run_rule under KR_GUARD)", 1),
    ("kr_json_encode", "JSON encode", 1),
    ("kr_hook", "count hook (inside the stages above)", 2),
    ("kr_alloc", "Lua allocator (inside the stages above)", 2),
]
LINE = re.compile(r"^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S.*?)\s*(?:\[(.*)\])?\s*$")


def run_callgrind(tag, cmd, stdin_path, env=None):
    out = os.path.join(OUT, "callgrind.%s.out" % tag)
    # valgrind runs a program some 50 times slower: a longer grace keeps the watchdog from arming the
    # count hook in rules that end in time (natively they end within a millisecond)
    e = dict(os.environ, KRYTERIA_HOOK_GRACE_MS="2000")
    e.update(env or {})
    with open(stdin_path, "rb") as fin:
        p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + cmd, cwd=ROOT,
                           stdin=fin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=e)
    if p.returncode not in (0, 1) or not os.path.exists(out):
        sys.stderr.write(p.stderr[-3000:])
        sys.exit("bench-callgrind: valgrind failed on %s (exit status %d)" % (tag, p.returncode))
    return out


def annotate(path):
    """{function name: inclusive Ir} and the program total, from callgrind_annotate."""
    p = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True)
    incl, total = {}, None
    for line in p.stdout.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        n = int(m.group(1).replace(",", ""))
        name = m.group(2)
        if name == "PROGRAM TOTALS":
            total = n
            continue
        fn = name.split(":", 1)[1] if ":" in name else name
        # the outermost entry of a recursive function is the one without a 'N suffix
        if fn not in incl:
            incl[fn] = n
    if total is None:
        sys.exit("bench-callgrind: no PROGRAM TOTALS in callgrind_annotate output for %s" % path)
    return incl, total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/kryteria"))
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--workload", choices=("enterprises", "applications"), default="enterprises")
    ap.add_argument("--rule", default="ps-status")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--symbols", default=os.environ.get("CALLGRIND_SYMBOLS", ""),
                    help="more functions to report, comma-separated (inclusive counts)")
    a = ap.parse_args()
    for tool in ("valgrind", "callgrind_annotate", "objcopy"):
        if not shutil.which(tool):
            sys.exit("bench-callgrind: needs %s (apt-get install valgrind binutils)" % tool)
    os.makedirs(OUT, exist_ok=True)
    inp = generate(a.n, a.workload)
    empty = os.path.join(OUT, "empty.jsonl")
    open(empty, "w").close()
    binary = os.path.join(OUT, "kryteria.callgrind")
    subprocess.run(["objcopy", "--strip-debug", a.bin, binary], check=True)
    ents = a.workload == "enterprises"
    cmd = [binary, "batch", "--rules", os.environ.get("CG_RULES", "Rules")] + (["--rule", a.rule] if ents else []) + ["--jobs", "1", "-q"]

    print("== callgrind: kryteria batch --jobs 1 on %s records of %s (%s), and on none (start-up)"
          % (fmt_int(a.n), os.path.relpath(inp, ROOT), ("rule " + a.rule) if ents else "all rules"), flush=True)
    full, full_total = annotate(run_callgrind("kryteria", cmd, inp))
    zero, zero_total = annotate(run_callgrind("kryteria-startup", cmd, empty))

    def per(fn):
        if fn not in full:
            return None
        return (full[fn] - zero.get(fn, 0)) / a.n

    total = (full_total - zero_total) / a.n
    rows = []
    for fn, label, level in STAGES:
        rows.append((fn, label, level, per(fn)))
    for fn in [s for s in a.symbols.split(",") if s]:
        rows.append((fn, fn, 1, per(fn)))
    v = {fn: x for fn, _, _, x in rows}
    call = per("l_call")
    derived = []
    if call is not None and all(v.get(k) is not None for k in ("kr_json_decode_profile", "kr_json_encode", "kr_valid_lua", "l_guard")):
        derived.append(("prelude in K.evaluate, besides validation and rules",
                        call - v["kr_json_decode_profile"] - v["kr_json_encode"] - v["kr_valid_lua"] - v["l_guard"]))
    if v.get("kr_call") is not None:
        derived.append(("outside the engine call (Swift: read, split, write)", total - v["kr_call"]))

    print()
    print("Instructions per record (Ir, inclusive; start-up subtracted): %s records, %s" %
          (fmt_int(a.n), ("ps-status" if ents else "applications, all rules")))
    print("%-62s %14s %8s" % ("", "Ir/record", "share"))
    print("%-62s %14s %8s" % ("whole process", fmt_int(total), "100%"))
    for fn, label, level, x in rows:
        name = ("  " * level) + "%s (%s)" % (label, fn)
        if x is None:
            print("%-62s %14s %8s" % (name, "-", "-"))
        else:
            print("%-62s %14s %7.1f%%" % (name, fmt_int(x), 100.0 * x / total if total else 0))
    for label, x in derived:
        print("%-62s %14s %7.1f%%" % ("  " + label, fmt_int(x), 100.0 * x / total if total else 0))
    print("%-62s %14s" % ("start-up (loading the rules), once", fmt_int(zero_total)))
    # the count hook armed at the start of every rule, as before the watchdog: what the late hook saves
    _, af = annotate(run_callgrind("kryteria-hook-always", cmd, inp, {"KRYTERIA_HOOK": "always"}))
    _, az = annotate(run_callgrind("kryteria-hook-always-startup", cmd, empty, {"KRYTERIA_HOOK": "always"}))
    atotal = (af - az) / a.n
    print("%-62s %14s %+7.1f%%" % ("whole process with KRYTERIA_HOOK=always (hook from the start)", fmt_int(atotal),
                                   100.0 * (atotal - total) / total if total else 0))

    if ents and not a.no_peer:
        pcmd = ["lua5.4", os.path.join("bench", "peer", "ps_status.lua")]
        _, pf = annotate(run_callgrind("peer", pcmd, inp))
        _, pz = annotate(run_callgrind("peer-startup", pcmd, empty))
        ptotal = (pf - pz) / a.n
        print("%-62s %14s %8s" % ("hand-written peer, whole process (lua5.4 + lua-cjson)", fmt_int(ptotal),
                                  "%.2f×" % (total / ptotal) if ptotal else "-"))
        print("(the last column: kryteria's instructions per record over the peer's)")
    print("callgrind files: %s/callgrind.*.out (callgrind_annotate --inclusive=yes FILE)" % os.path.relpath(OUT, ROOT))


if __name__ == "__main__":
    main()
