#!/usr/bin/env bash
# Builds and runs the JSON reader/writer tests of CLuaShim (kr_json.c, with kr_schema.c, whose
# compiled schemas the reader applies to a profile as it reads it):
# the fixture corpus in Tests/Fixtures/json plus encoder cases written in Lua; then the check
# results made in C (kr_result.c) and the paths of missing fields (KR_PATH_IN, kr_view.c).
# Needs gcc, pkg-config and liblua5.4-dev. Run from anywhere; exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

CC="${CC:-gcc}"
OUT=.build-json
mkdir -p "$OUT"
LUA_CFLAGS="$(pkg-config --cflags lua5.4)"
LUA_LIBS="$(pkg-config --libs lua5.4)"

# shellcheck disable=SC2086
"$CC" -std=c99 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror \
    -I Sources/CLuaShim/include $LUA_CFLAGS \
    Tests/CShim/json_corpus_test.c Sources/CLuaShim/kr_json.c Sources/CLuaShim/kr_schema.c \
    $LUA_LIBS -lm -lpthread -o "$OUT/json_corpus_test"

"$OUT/json_corpus_test" Tests/Fixtures/json

# kr_result.c (check results made in C) and KR_PATH_IN (kr_view.c), against what the prelude gives
# shellcheck disable=SC2086
"$CC" -std=c99 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror \
    -I Sources/CLuaShim/include $LUA_CFLAGS \
    Tests/CShim/result_view_test.c Sources/CLuaShim/kr_result.c Sources/CLuaShim/kr_view.c \
    $LUA_LIBS -lm -o "$OUT/result_view_test"
"$OUT/result_view_test"

# The same tests under AddressSanitizer/UBSan when the toolchain has them
# (catches leaks and out-of-bounds reads the plain run cannot see).
if [ "${KR_JSON_SKIP_ASAN:-0}" != 1 ] && echo 'int main(void){return 0;}' \
    | "$CC" -x c -fsanitize=address,undefined -o "$OUT/asan-probe" - >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    # -DDEBUG as in a debug build of the package: the writer checks what release builds trust
    "$CC" -std=c99 -D_DEFAULT_SOURCE -DDEBUG -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
        -fno-sanitize-recover=all -Wall -Wextra -Werror \
        -I Sources/CLuaShim/include $LUA_CFLAGS \
        Tests/CShim/json_corpus_test.c Sources/CLuaShim/kr_json.c Sources/CLuaShim/kr_schema.c \
        $LUA_LIBS -lm -lpthread -o "$OUT/json_corpus_test_asan"
    echo "-- again with AddressSanitizer/UBSan:"
    "$OUT/json_corpus_test_asan" Tests/Fixtures/json
    # shellcheck disable=SC2086
    "$CC" -std=c99 -D_DEFAULT_SOURCE -DDEBUG -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
        -fno-sanitize-recover=all -Wall -Wextra -Werror \
        -I Sources/CLuaShim/include $LUA_CFLAGS \
        Tests/CShim/result_view_test.c Sources/CLuaShim/kr_result.c Sources/CLuaShim/kr_view.c \
        $LUA_LIBS -lm -o "$OUT/result_view_test_asan"
    "$OUT/result_view_test_asan"
fi
