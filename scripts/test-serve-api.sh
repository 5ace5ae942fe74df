#!/usr/bin/env bash
# The OpenAPI document of `kryteria serve`, checked by independent tools:
#   1. openapi-spec-validator (PyPI) validates Sources/KryteriaServer/openapi.json as OpenAPI 3.1;
#   2. schemathesis (PyPI) generates requests from it against a live server on a free loopback
#      port, a bounded number of examples per operation, and fails on any server error (5xx)
#      or a response that does not match the document's schemas.
# Usage: scripts/test-serve-api.sh [EXAMPLES]   (needs .build/debug/kryteria; `make test` builds it)
set -euo pipefail
cd "$(dirname "$0")/.."
EXAMPLES=${1:-30}
BIN=${KRYTERIA_BIN:-.build/debug/kryteria}
VENV=.build/api-venv
PHASES=examples,coverage,fuzzing
# A Python of 3.12 or later: on CPython 3.11.7 schemathesis' coverage phase trips a hypothesis
# bug ("AST constructor recursion depth mismatch") inside the tool itself, before any request.
pick_python() {
  for v in 3.13 3.12; do
    if command -v pyenv >/dev/null 2>&1; then
      pv=$(pyenv versions --bare 2>/dev/null | grep -E "^${v//./\\.}\.[0-9]+$" | tail -1)
      if [ -n "$pv" ] && PYENV_VERSION=$pv "python$v" -c '' 2>/dev/null; then echo "env PYENV_VERSION=$pv python$v"; return; fi
    fi
    if "python$v" -c '' 2>/dev/null; then echo "python$v"; return; fi
  done
  echo python3
}
if [ ! -x "$VENV/bin/st" ] || [ ! -x "$VENV/bin/openapi-spec-validator" ]; then
  PY=$(pick_python)
  echo "== installing schemathesis and openapi-spec-validator into $VENV ($($PY --version))"
  rm -rf "$VENV"
  $PY -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check schemathesis==4.32.5 openapi-spec-validator==0.9.0
fi
if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  PHASES=examples,fuzzing   # see above
fi

echo "== openapi-spec-validator Sources/KryteriaServer/openapi.json"
"$VENV/bin/openapi-spec-validator" Sources/KryteriaServer/openapi.json

log=.build/serve-api.log   # the access log, kept for a look after a failure
JOBS=2 SERVE_LOG=$log
. scripts/serve-start.sh

echo "== schemathesis against http://127.0.0.1:$port ($EXAMPLES examples per operation)"
# the served document must be the committed one
curl -sf "http://127.0.0.1:$port/openapi.json" | cmp - Sources/KryteriaServer/openapi.json
PYTHONPATH=scripts SCHEMATHESIS_HOOKS=schemathesis_hooks timeout 600 "$VENV/bin/st" run "http://127.0.0.1:$port/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$EXAMPLES" --workers 2 --request-timeout 20 --seed 20261202 \
  --phases "$PHASES" --no-color
# the served JSON Schemas with their $refs resolved over HTTP by an independent validator
"$VENV/bin/python" scripts/check-schema-refs.py "http://127.0.0.1:$port"
# the server survived everything it was sent
curl -sf "http://127.0.0.1:$port/health" >/dev/null
echo "== the server answered every generated request without a server error"
