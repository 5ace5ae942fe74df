#!/usr/bin/env bash
# Fuzzes the JSON reader/writer of CLuaShim (kr_json.c) for SECONDS (default 30):
# decode arbitrary bytes; when that works, encode, decode and encode again and
# require the two encodings to be byte-identical. Seeds: Tests/Fixtures/json.
#
#   scripts/fuzz-json.sh [SECONDS]
#
# Uses libFuzzer (clang -fsanitize=fuzzer, with ASan/UBSan) when a clang that
# has it is found: $CLANG, /opt/swift/usr/bin/clang, or clang on PATH.
# Otherwise builds a deterministic mutation driver with $CC (default gcc),
# with ASan/UBSan when available (KR_FUZZ_STANDALONE=1 forces this). Outputs go to .build-fuzz/ (git-ignored);
# a crashing input is saved there too. Exits non-zero on a crash or mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."

SECS="${1:-30}"
case "$SECS" in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2;; esac
OUT=.build-fuzz
mkdir -p "$OUT/corpus"
rm -rf "$OUT/seeds"
mkdir -p "$OUT/seeds"
cp Tests/Fixtures/json/valid/*.json Tests/Fixtures/json/invalid/*.json "$OUT/seeds/"

LUA_CFLAGS="$(pkg-config --cflags lua5.4)"
LUA_LIBS="$(pkg-config --libs lua5.4)"
SRCS=(Tests/CShim/json_fuzz.c Sources/CLuaShim/kr_json.c Sources/CLuaShim/kr_schema.c)
INC=(-I Sources/CLuaShim/include)

probe() { # probe COMPILER FLAGS...: can it build and link a fuzz target with these flags?
    local cc="$1"; shift
    printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n){(void)d;(void)n;return 0;}\n' \
        > "$OUT/probe.c"
    "$cc" "$@" "$OUT/probe.c" -o "$OUT/probe" >/dev/null 2>&1
}

CLANG_BIN=""
# KR_FUZZ_STANDALONE=1 forces the fallback driver (to test it where libFuzzer exists).
[ "${KR_FUZZ_STANDALONE:-0}" = 1 ] || for c in "${CLANG:-}" /opt/swift/usr/bin/clang "$(command -v clang 2>/dev/null || true)"; do
    if [ -n "$c" ] && [ -x "$c" ] && probe "$c" -fsanitize=fuzzer,address,undefined; then CLANG_BIN="$c"; break; fi
done

if [ -n "$CLANG_BIN" ]; then
    LDFLAGS=()
    # ld.gold prints pages of harmless warnings for ASan objects: prefer lld.
    if probe "$CLANG_BIN" -fsanitize=fuzzer,address,undefined -fuse-ld=lld; then LDFLAGS=(-fuse-ld=lld); fi
    echo "building the libFuzzer target with $CLANG_BIN"
    # shellcheck disable=SC2086
    "$CLANG_BIN" -std=c99 -D_DEFAULT_SOURCE -O1 -g -fno-omit-frame-pointer \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        "${INC[@]}" $LUA_CFLAGS "${SRCS[@]}" $LUA_LIBS -lm "${LDFLAGS[@]}" -o "$OUT/json_fuzz"
    echo "fuzzing for ${SECS}s"
    "$OUT/json_fuzz" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -dict=Tests/CShim/json_fuzz.dict -artifact_prefix="$OUT/" -print_final_stats=1 \
        "$OUT/corpus" "$OUT/seeds" 2> "$OUT/fuzz.log" || {
        status=$?
        tail -n 60 "$OUT/fuzz.log" >&2
        echo "fuzz-json: FAILED (status $status); the crashing input is in $OUT/ (crash-*), full log $OUT/fuzz.log" >&2
        exit 1
    }
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$OUT/fuzz.log" || true
    echo "fuzz-json: OK"
else
    CC_BIN="${CC:-gcc}"
    SAN=()
    if probe "$CC_BIN" -fsanitize=address,undefined -c; then SAN=(-fsanitize=address,undefined -fno-sanitize-recover=all); fi
    echo "libFuzzer not available: building the standalone mutation driver with $CC_BIN ${SAN[*]:-}"
    # shellcheck disable=SC2086
    "$CC_BIN" -std=c99 -D_DEFAULT_SOURCE -DKR_FUZZ_STANDALONE -O1 -g -fno-omit-frame-pointer "${SAN[@]}" \
        -Wall -Wextra -Werror "${INC[@]}" $LUA_CFLAGS "${SRCS[@]}" $LUA_LIBS -lm -o "$OUT/json_fuzz_standalone"
    "$OUT/json_fuzz_standalone" "$SECS" "$OUT/seeds" "$OUT/corpus" || {
        echo "fuzz-json: FAILED; the crashing input is $OUT/crash-standalone" >&2
        exit 1
    }
    echo "fuzz-json: OK"
fi
