#!/usr/bin/env python3
"""Check the vocabulary annotations of the data contract (Rules/schema/*.schema.json).

Every property schema, at every depth (nested objects, array items, $defs), must carry
  x-label    {"pl": …, "en": …}  a short noun phrase, lower case (proper names and abbreviations aside)
  x-question {"pl": …, "en": …}  a whole question a consultant can read to the applicant
and every schema with an `enum` (or a `const`) must carry x-enum-labels with a {"pl", "en"} label for
each value, and no label for a value that does not exist.

Usage: scripts/check-vocabulary.py [SCHEMA_DIR]   (default: Rules/schema next to this script)
Exit status 0 when all is well, 1 with one line per problem (file, JSON path, what is wrong).
"""
import json, os, sys

LANGS = ("pl", "en")


def text_pair(v):
    return isinstance(v, dict) and all(isinstance(v.get(l), str) and v[l].strip() for l in LANGS)


def walk(node, path, out, counts, in_properties=False):
    """Visit a schema node; in_properties: node is the value of a `properties` entry."""
    if not isinstance(node, dict):
        return
    if in_properties:
        counts["properties"] += 1
        for key in ("x-label", "x-question"):
            if not text_pair(node.get(key)):
                out.append(f"{path}: {key} missing or without both pl and en")
        lab = node.get("x-label")
        if text_pair(lab) and lab["pl"][0].isupper() and not lab["pl"].split()[0].isupper():
            out.append(f"{path}: x-label.pl should start in lower case: {lab['pl']!r}")
        q = node.get("x-question")
        if text_pair(q):
            for l in LANGS:
                if "?" not in q[l]:
                    out.append(f"{path}: x-question.{l} is not a question: {q[l]!r}")
    values = None
    if "enum" in node:
        values = node["enum"]
    elif "const" in node:
        values = [node["const"]]
    labels = node.get("x-enum-labels")
    if values is not None:
        counts["enum_schemas"] += 1
        if not isinstance(labels, dict):
            out.append(f"{path}: enum without x-enum-labels")
        else:
            for v in values:
                counts["enum_values"] += 1
                if not text_pair(labels.get(v)):
                    out.append(f"{path}: x-enum-labels[{v!r}] missing or without both pl and en")
            for v in labels:
                if v not in values:
                    out.append(f"{path}: x-enum-labels[{v!r}] labels a value the enum does not have")
    elif labels is not None:
        out.append(f"{path}: x-enum-labels without an enum")
    for name, sub in (node.get("properties") or {}).items():
        walk(sub, f"{path}.{name}", out, counts, in_properties=True)
    if isinstance(node.get("items"), dict):
        walk(node["items"], f"{path}[]", out, counts)
    for name, sub in (node.get("$defs") or {}).items():
        walk(sub, f"{path}.$defs.{name}", out, counts)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "Rules", "schema")
    problems, total = [], {"properties": 0, "enum_schemas": 0, "enum_values": 0}
    for fn in sorted(os.listdir(d)):
        if not fn.endswith(".schema.json"):
            continue
        p = os.path.join(d, fn)
        with open(p, encoding="utf-8") as f:
            doc = json.load(f)
        counts = {"properties": 0, "enum_schemas": 0, "enum_values": 0}
        out = []
        walk(doc, "$", out, counts)
        problems += [f"{p}: {m}" for m in out]
        print(f"{fn}: {counts['properties']} properties labelled with questions, "
              f"{counts['enum_values']} enum values in {counts['enum_schemas']} enums labelled"
              + (f" — {len(out)} problem(s)" if out else ""))
        for k in total:
            total[k] += counts[k]
    print(f"total: {total['properties']} properties, {total['enum_values']} enum values in {total['enum_schemas']} enums")
    for m in problems:
        print(m, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
