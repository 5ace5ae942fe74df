#!/usr/bin/env python3
"""The JSON Schemas `kryteria serve` hands out, used as a form builder would use them: fetched from
/v1/schemas/{kind} by the `jsonschema` validator (PyPI), which resolves their `$ref`s
("enterprise.schema.json") next to the URL it fetched them from, over HTTP, from the same server.
Every Playground profile of a kind must validate; a profile broken on purpose must not, at the
nested place the `$ref` leads to.

usage: scripts/check-schema-refs.py http://127.0.0.1:PORT
"""
import glob
import json
import sys
import urllib.parse
import urllib.request

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

base = sys.argv[1].rstrip("/")
fetched = []


def retrieve(uri):
    fetched.append(uri)
    with urllib.request.urlopen(uri, timeout=10) as r:
        return Resource.from_contents(json.load(r), default_specification=DRAFT202012)


registry = Registry(retrieve=retrieve)
checked = 0
for kind in ("person", "enterprise", "application"):
    url = base + "/v1/schemas/" + kind
    with urllib.request.urlopen(url, timeout=10) as r:
        schema = json.load(r)
    schema["$id"] = urllib.parse.urljoin(url, schema.get("$id", ""))   # as fetched: relative to its URL
    validator = jsonschema.Draft202012Validator(schema, registry=registry)
    for path in sorted(glob.glob("Playground/profiles/*.json")):
        profile = json.load(open(path, encoding="utf-8"))
        if profile.get("kind") != kind:
            continue
        errors = list(validator.iter_errors(profile))
        if errors:
            sys.exit(f"{path}: {errors[0].json_path}: {errors[0].message}")
        checked += 1
    if kind == "application":
        bad = json.load(open("Playground/profiles/wn-2025-001.json", encoding="utf-8"))
        bad["enterprise"]["employees"] = [{"contract": "employment", "fte": "pół etatu"}]
        errors = list(validator.iter_errors(bad))
        if not any(list(e.absolute_path)[:3] == ["enterprise", "employees", 0] for e in errors):
            sys.exit("a nested employee's error was not found through the $refs: " + repr([e.json_path for e in errors]))
if not any(u.endswith("/v1/schemas/enterprise.schema.json") for u in fetched):
    sys.exit("the application schema's $ref to enterprise.schema.json was never fetched: " + repr(fetched))
print(f"== {checked} Playground profiles valid against the served schemas; $refs fetched: {len(fetched)}")
