#!/usr/bin/env python3
"""Compares the JSON of a tests/nix/*_cases.nix evaluation (read from the file given as the only
argument, or stdin): each case's got against expected, and each roundtrip's toml, parsed by
Python's tomllib, against value. Prints one line per check, then "N passed, N failed"; exits 1
on any failure."""
import json
import sys
import tomllib


def show(v):
    return json.dumps(v, ensure_ascii=False)


def main():
    with open(sys.argv[1], encoding="utf-8") if len(sys.argv) > 1 else sys.stdin as f:
        data = json.load(f)
    passed = failed = 0
    for case in data.get("cases", []):
        if case["got"] == case["expected"]:
            passed += 1
            print(f"ok   {case['name']}")
        else:
            failed += 1
            print(f"FAIL {case['name']}\n  expected: {show(case['expected'])}\n  got:      {show(case['got'])}")
    for rt in data.get("roundtrips", []):
        name = f"TOML read back by tomllib: {rt['name']}"
        try:
            parsed = tomllib.loads(rt["toml"])
        except tomllib.TOMLDecodeError as e:
            failed += 1
            print(f"FAIL {name}\n  tomllib rejected it: {e}\n  text: {show(rt['toml'])}")
            continue
        if parsed == rt["value"]:
            passed += 1
            print(f"ok   {name}")
        else:
            failed += 1
            print(f"FAIL {name}\n  expected: {show(rt['value'])}\n  parsed:   {show(parsed)}")
    if passed + failed == 0:
        print("FAIL no cases in the input: the case file evaluated to nothing")
        failed = 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
