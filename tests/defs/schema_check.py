#!/usr/bin/env python3
"""Helpers of tests/defs/jsonschema.sh (Debian's python3-jsonschema).

schema_check.py json SCHEMA FILE...
    One line per FILE: "FILE<TAB>ok", or "FILE<TAB>bad<TAB>why" when FILE
    is not JSON or does not validate against SCHEMA (draft 2020-12).
    Exits 1 when SCHEMA itself is not a valid schema.
schema_check.py rng RNG
    The element and attribute names that the RelaxNG grammar RNG allows,
    one path a line (domain/vcpu/@cpuset), as tools/xm-def-schema -f
    prints those of the field table.
schema_check.py rng-values RNG
    The values that RNG lists for an element's text or an attribute, one
    "PATH<TAB>VALUE" a line, as tools/xm-def-schema -e prints the enums.
"""
import json
import sys
import xml.etree.ElementTree as ET

RNG = "{http://relaxng.org/ns/structure/1.0}"


def check_json(schema_path, files):
    import jsonschema
    schema = json.load(open(schema_path, encoding="utf-8"))
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as e:
        print("%s: not a JSON Schema: %s" % (schema_path, e.message))
        return 1
    v = jsonschema.Draft202012Validator(schema)
    for f in files:
        try:
            with open(f, encoding="utf-8") as fp:
                doc = json.load(fp)
        except (ValueError, UnicodeDecodeError) as e:
            print("%s\tbad\tnot JSON: %s" % (f, str(e)[:120]))
            continue
        errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
        if errs:
            where = "/".join(str(p) for p in errs[0].path)
            print("%s\tbad\t%s: %s" % (f, where, errs[0].message[:160]))
        else:
            print("%s\tok" % f)
    return 0


def rng_walk(rng_path):
    """The names (paths) of RNG and the values listed under each."""
    root = ET.parse(rng_path).getroot()
    defines = {d.get("name"): d for d in root.iter(RNG + "define")}
    names, values = set(), set()

    def walk(node, path, owner, seen):
        for c in node:
            tag = c.tag[len(RNG):] if c.tag.startswith(RNG) else None
            if tag == "element" and c.get("name"):
                sub = path + "/" + c.get("name") if path else c.get("name")
                names.add(sub)
                walk(c, sub, sub, seen)
            elif tag == "attribute" and c.get("name"):
                sub = path + "/@" + c.get("name")
                names.add(sub)
                walk(c, path, sub, seen)
            elif tag == "value":
                values.add((owner, c.text.strip()))
            elif tag == "ref":
                key = (path, owner, c.get("name"))
                if key not in seen:
                    walk(defines[c.get("name")], path, owner, seen | {key})
            elif tag is not None:
                walk(c, path, owner, seen)

    walk(root.find(RNG + "start"), "", "", frozenset())
    return names, values


def rng_names(rng_path):
    for n in sorted(rng_walk(rng_path)[0]):
        print(n)
    return 0


def rng_values(rng_path):
    for owner, v in sorted(rng_walk(rng_path)[1]):
        print("%s\t%s" % (owner, v))
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "json":
        return check_json(argv[2], argv[3:])
    if len(argv) == 3 and argv[1] == "rng":
        return rng_names(argv[2])
    if len(argv) == 3 and argv[1] == "rng-values":
        return rng_values(argv[2])
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
