#!/usr/bin/env python3
"""Validates cordon's JSON output against a JSON Schema.

Usage: validate.py SCHEMA lines|doc FILE...
  lines: every non-empty line of each FILE is one instance (JSON lines);
  doc:   each FILE is one instance (a SARIF document).
Exits 1, saying which line broke which rule, when one does not validate,
and when a file holds no instance at all (an empty output proves nothing).
"""
import json
import sys

import jsonschema


def main():
    if len(sys.argv) < 4 or sys.argv[2] not in ("lines", "doc"):
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    bad = 0
    for path in sys.argv[3:]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if sys.argv[2] == "doc":
            instances = [(1, text)]
        else:
            instances = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
        if not instances:
            print(f"{path}: no instance to validate")
            bad += 1
        for n, raw in instances:
            try:
                instance = json.loads(raw)
            except ValueError as e:
                print(f"{path}:{n}: not JSON: {e}")
                bad += 1
                continue
            for err in validator.iter_errors(instance):
                where = "/".join(str(p) for p in err.absolute_path)
                print(f"{path}:{n}: at '{where}': {err.message}"[:600])
                bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
