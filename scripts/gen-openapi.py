#!/usr/bin/env python3
"""Writes Sources/KryteriaServer/openapi.json, the OpenAPI 3.1 document of `kryteria serve`.

The document is written by hand here (as Python data, to keep it readable and valid JSON);
run `python3 scripts/gen-openapi.py` after changing a route, then commit both files."""
import json, os, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
profile = json.load(open(os.path.join(root, "Playground/profiles/pes-002.json")))

def err(code, message, **extra):
    e = {"code": code, "message": message}
    e.update(extra)
    return {"error": e}

def error_response(desc, example):
    return {"description": desc, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}, "example": example}}}

E400 = error_response("Malformed JSON (line and column), or a wrong query parameter",
                      err("malformed_json", "niepoprawny JSON: wiersz 1, kolumna 12: nieoczekiwany koniec danych", line=1, column=12))
E413 = error_response("The body is over --max-body", err("body_too_large", "treść żądania przekracza limit 1048576 bajtów", limit=1048576))
E415 = error_response("A compressed body (Content-Encoding) or a form upload (multipart/*): send the JSON itself",
                      err("unsupported_media_type", "treść typu multipart/form-data nie jest profilem JSON; wyślij sam JSON (Content-Type: application/json)"))
E503 = error_response("No valid ruleset loaded, or the evaluation queue is full",
                      err("no_ruleset", "brak poprawnego zestawu reguł; popraw katalog reguł i wywołaj POST /v1/reload"))
E404 = error_response("No such rule or schema", err("unknown_rule", "nie ma reguły xyz"))
E405 = error_response("Method not allowed on this path", err("method_not_allowed", "metoda GET nie jest dozwolona dla /v1/evaluate; dozwolone: POST"))
E401 = error_response("The token is missing or wrong", err("unauthorized", "brak lub niepoprawny token (nagłówek Authorization: Bearer TOKEN)"))

lang_q = {"name": "lang", "in": "query", "required": False, "description": "Language of labels, reasons and errors (default: Accept-Language, else pl).",
          "schema": {"type": "string", "enum": ["pl", "en"]}}
accept_lang = {"name": "Accept-Language", "in": "header", "required": False, "schema": {"type": "string"}, "example": "pl"}
asof_q = {"name": "as_of", "in": "query", "required": False, "description": "Evaluate as of this date (YYYY-MM-DD).",
          "schema": {"type": "string", "format": "date"}, "example": "2025-06-01"}
rule_q = {"name": "rule", "in": "query", "required": False, "description": "Only these rules (repeatable).",
          "style": "form", "explode": True, "schema": {"type": "array", "items": {"type": "string"}}, "example": ["ps-status"]}

result_example = {
    "id": "pes-002", "kind": "enterprise", "as_of": "2025-06-01", "as_of_source": "profile",
    "ruleset": "sha256:…", "lang": "pl",
    "results": [{"rule": "ps-status", "title": "Status przedsiębiorstwa społecznego", "outcome": "eligible",
                 "legal_basis": "art. 3 ustawy o ekonomii społecznej",
                 "criteria": [{"id": "PS-1", "label": "Forma prawna", "outcome": "pass", "reason": "fundacja",
                               "legal_basis": "art. 3 ust. 1", "missing": []}]}]}

invalid_example = {"id": "x", "ruleset": "sha256:…", "error": {"code": "invalid_profile", "message": "profil niezgodny ze schematem",
                   "problems": [{"path": "$.employees[0].fte", "expected": "liczba od 0 do 1", "found": "\"dużo\""}]}}

doc = {
  "openapi": "3.1.0",
  "info": {"title": "Kryteria", "version": "0.1.0",
           "description": "Who qualifies for social-economy support in Poland: the Kryteria rules engine as an HTTP service "
                          "(`kryteria serve`). Every answer that is an error is `{\"error\":{\"code\":…,\"message\":…}}` with the "
                          "message in the chosen language (`lang` query or Accept-Language; Polish by default).",
           "license": {"name": "Proprietary", "identifier": "LicenseRef-Kryteria"}},
  "servers": [{"url": "http://127.0.0.1:8080"}],
  "paths": {
    "/health": {"get": {"operationId": "health", "summary": "Is a valid ruleset loaded?", "parameters": [lang_q],
        "responses": {"200": {"description": "Ready", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"},
                                "example": {"status": "ok", "ruleset": "sha256:…", "rules": 16, "folder": "Rules"}}}},
                      "503": E503}}},
    "/v1/evaluate": {"post": {"operationId": "evaluate", "summary": "Evaluate one profile",
        "description": "The body is one profile (person, enterprise or application). The answer is the contract's result JSON, "
                       "byte for byte what `kryteria check --json` prints for the same file. `format=html` gives the decision sheet "
                       "(a self-contained HTML page to print on A4, in `lang`).",
        "parameters": [rule_q, asof_q, lang_q, accept_lang,
                       {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": ["json", "html"]}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Profile"}, "example": profile}}},
        "responses": {"200": {"description": "The evaluation", "content": {
                                  "application/json": {"schema": {"$ref": "#/components/schemas/Result"}, "example": result_example},
                                  "text/html": {"schema": {"type": "string"}, "example": "<!DOCTYPE html><html lang=\"pl\">…Karta oceny…</html>"}}},
                      "400": E400, "413": E413,
                      "422": {"description": "Invalid profile: the problems with their JSON paths", "content": {"application/json": {
                              "schema": {"$ref": "#/components/schemas/Result"}, "example": invalid_example}}},
                      "415": error_response("A compressed body (Content-Encoding) or a form upload (multipart/*): send the JSON itself; "
                                            "or format=html in a build without a decision-sheet renderer (an integrator's own build of the library)",
                                            err("unsupported_encoding", "treść zakodowana (Content-Encoding: gzip) nie jest obsługiwana; wyślij zwykły JSON")),
                      "503": E503}}},
    "/v1/batch": {"post": {"operationId": "batch", "summary": "Evaluate many profiles (JSON Lines in, JSON Lines out)",
        "description": "The body is JSON Lines (one profile per line) or one JSON array. The answer streams one line per record, "
                       "in input order, as records are done (chunked, in groups of up to 256 records); memory stays flat for any size of body. A record that cannot "
                       "be read gets `{\"line\":N,\"error\":{\"code\":\"malformed_json\",…}}`, as in `kryteria batch`.",
        "parameters": [rule_q, asof_q, lang_q, accept_lang],
        "requestBody": {"required": True, "content": {
                        "application/x-ndjson": {"schema": {"type": "array", "description": "one profile per line",
                                                            "items": {"$ref": "#/components/schemas/Profile"}},
                                                 "example": [profile]},
                        "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Profile"}},
                                             "example": [profile]}}},
        "responses": {"200": {"description": "One line per record, in input order", "content": {"application/x-ndjson": {
                              "schema": {"type": "string"},
                              "example": "{\"line\":1,\"id\":\"pes-002\",…}\n{\"line\":2,\"error\":{\"code\":\"malformed_json\",\"message\":\"line 2, column 9: …\"}}\n"}}},
                      "400": E400, "415": E415, "503": E503}}},
    "/v1/whatif": {"post": {"operationId": "whatif", "summary": "What if: a profile and changes, before/after and the criteria that flipped",
        "parameters": [rule_q, asof_q, lang_q, accept_lang],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WhatIfRequest"},
                        "example": {"profile": profile, "changes": {"statute.no_profit_distribution": False}}}}},
        "responses": {"200": {"description": "The comparison", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WhatIf"},
                              "example": {"before": result_example, "after": result_example,
                                          "rules": [{"rule": "ps-status", "title": "Status przedsiębiorstwa społecznego", "before": "eligible",
                                                     "after": "ineligible", "changed": True,
                                                     "flipped": [{"id": "PS-4", "label": "Zakaz podziału zysku", "before": "pass", "after": "fail"}]}],
                                          "rules_changed": 1, "criteria_flipped": 1}}}},
                      "400": E400, "413": E413, "415": E415,
                      "422": error_response("The request or a profile is invalid", err("invalid_request", "oczekiwano obiektu profilu",
                                            problems=[{"path": "$.profile", "message": "oczekiwano obiektu profilu"}])),
                      "503": E503}}},
    "/v1/rules": {"get": {"operationId": "listRules", "summary": "The rules of the ruleset in use", "parameters": [lang_q, accept_lang],
        "responses": {"200": {"description": "Rules", "content": {"application/json": {"schema": {"type": "object",
                              "properties": {"ruleset": {"type": "string"}, "rules": {"type": "array", "items": {"type": "object"}}}},
                              "example": {"ruleset": "sha256:…", "rules": [{"id": "ps-status", "applies_to": "enterprise",
                                          "title": "Status przedsiębiorstwa społecznego", "legal_basis": "…", "criteria": 7}]}}}},
                      "400": E400, "503": E503}}},
    "/v1/rules/{id}": {"get": {"operationId": "showRule", "summary": "One rule: criteria, legal basis, parameters in force on as_of",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}, "example": "ps-status"}, asof_q, lang_q, accept_lang],
        "responses": {"200": {"description": "The rule", "content": {"application/json": {"schema": {"type": "object"},
                              "example": {"id": "ps-status", "applies_to": "enterprise", "title": "…", "legal_basis": "…", "as_of": "2025-06-01",
                                          "criteria": [{"id": "PS-1", "label": "…", "legal_basis": "…"}],
                                          "parameters": [{"name": "…", "value": "…", "from": "2023-01-01", "basis": "…"}]}}}},
                      "400": E400, "404": E404, "503": E503}}},
    "/v1/schemas/{kind}": {"get": {"operationId": "schema", "summary": "The JSON Schema of a profile kind (Polish and English labels)",
        "parameters": [{"name": "kind", "in": "path", "required": True, "schema": {"type": "string", "enum": ["person", "enterprise", "application"]}}],
        "responses": {"200": {"description": "JSON Schema", "content": {"application/schema+json": {"schema": {"type": "object"}}}},
                      "400": E400,
                      "404": error_response("No such kind", err("unknown_schema", "nie ma schematu xyz (są: application, enterprise, person)"))}}},
    "/v1/reload": {"post": {"operationId": "reload", "summary": "Read the rules folder again and swap atomically",
        "description": "Needs `Authorization: Bearer TOKEN` when the server was started with --token-file. A broken folder keeps the "
                       "old ruleset; the answer lists every problem as file:line. SIGHUP does the same.",
        "security": [{}, {"bearer": []}],
        "responses": {"200": {"description": "Reloaded", "content": {"application/json": {"schema": {"type": "object"},
                              "example": {"reloaded": True, "ruleset": "sha256:…", "rules": 16}}}},
                      "400": E400, "401": E401,
                      "422": error_response("The folder is broken; the previous ruleset stays", err("broken_ruleset",
                              "reguły nie zostały zmienione (błędy: 1); działa poprzednia wersja", problems=["ps-status.lua:12: unexpected symbol"], ruleset="sha256:…")),
                      "503": E503}}},
    "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document",
        "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    "/metrics": {"get": {"operationId": "metrics", "summary": "Prometheus metrics",
        "responses": {"200": {"description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"},
                              "example": "kryteria_http_requests_total{route=\"/v1/evaluate\",method=\"POST\",status=\"200\"} 12\n"}}}}}},
  },
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "schemas": {
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "line": {"type": "integer"}, "column": {"type": "integer"},
                               "problems": {"type": "array"}, "limit": {"type": "integer"}}}}},
      "Health": {"type": "object", "required": ["status", "ruleset", "rules"],
                 "properties": {"status": {"const": "ok"}, "ruleset": {"type": "string"}, "rules": {"type": "integer"}, "folder": {"type": "string"}}},
      "Profile": {"type": "object", "description": "A person, enterprise or application (see GET /v1/schemas/{kind}).",
                  "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["person", "enterprise", "application"]},
                                                        "id": {"type": "string"}}},
      "Result": {"type": "object", "description": "The contract's result JSON (an evaluation, or `error` for an invalid profile).",
                 "properties": {"id": {"description": "the caller's id, echoed as sent"}, "kind": {"description": "echoed as sent"}, "as_of": {"type": "string"}, "ruleset": {"type": "string"},
                                "results": {"type": "array", "items": {"type": "object"}}, "error": {"type": "object"}}},
      "WhatIfRequest": {"type": "object", "required": ["profile", "changes"],
                        "properties": {"profile": {"$ref": "#/components/schemas/Profile"},
                                       "changes": {"oneOf": [{"type": "object", "description": "path → new value", "minProperties": 1},
                                                             {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["path", "value"],
                                                              "properties": {"path": {"type": "string"}, "value": {}}}}]}}},
      "WhatIf": {"type": "object", "required": ["before", "after", "rules", "rules_changed", "criteria_flipped"],
                 "properties": {"before": {"$ref": "#/components/schemas/Result"}, "after": {"$ref": "#/components/schemas/Result"},
                                "rules": {"type": "array", "items": {"type": "object"}},
                                "rules_changed": {"type": "integer"}, "criteria_flipped": {"type": "integer"}}},
    }
  }
}
out = os.path.join(root, "Sources/KryteriaServer/openapi.json")
with open(out, "w") as f:
    json.dump(doc, f, ensure_ascii=False, indent=2)
    f.write("\n")
print("wrote", out)
