"""schemathesis hooks for scripts/test-serve-api.sh: POST /v1/batch takes JSON Lines
(application/x-ndjson), which schemathesis has no serializer for: one JSON value per line."""
import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    items = value if isinstance(value, list) else [value]
    return "".join(json.dumps(v, ensure_ascii=False) + "\n" for v in items).encode("utf-8")
