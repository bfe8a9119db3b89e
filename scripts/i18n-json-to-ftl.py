#!/usr/bin/env python3
"""Append the messages of a JSON translation table that an .ftl file does not have yet.

    scripts/i18n-json-to-ftl.py assets/i18n/ru.json assets/i18n/ru.ftl

The tables were JSON objects of "key": "text" with positional {0}, {1}… placeholders; they are
Fluent files now (src/ui/i18n.rs). A branch that still adds keys to ru.json/kk.json is merged
by running this script on each JSON file with the matching .ftl: it appends, in the JSON's
order, every key whose message id is not in the .ftl yet, and leaves the others (and every
plural already written by hand) alone. The mapping, the same as `Tr`'s:

- the key's dots become hyphens: `registry.count` → `registry-count` (no key has a hyphen);
- `{0}`, `{1}`… become `{ $a0 }`, `{ $a1 }`…; any other brace is a literal `{"{"}` / `{"}"}`;
- a text on several lines goes on indented continuation lines (Fluent keeps the blank ones);
- a text that starts with a space or a character Fluent reads as syntax is quoted `{" "}`.

Plural forms are not made here: write `{ $a0 -> [one] … [few] … *[many] … }` by hand.
"""

import json
import re
import sys


def message_id(key: str) -> str:
    if "-" in key or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.]*", key):
        sys.exit(f"a key Fluent cannot name: {key!r}")
    return key.replace(".", "-")


def pattern(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        m = re.match(r"\{(\d)\}", text[i:])
        if m:
            out.append("{ $a" + m.group(1) + " }")
            i += len(m.group(0))
        elif text[i] in "{}":
            out.append('{"' + text[i] + '"}')
            i += 1
        else:
            out.append(text[i])
            i += 1
    lines = "".join(out).split("\n")
    fixed = []
    for line in lines:
        if line[:1] in (" ", "[", "*", ".") and line:
            line = '{"' + line[0] + '"}' + line[1:]
        if line.endswith(" "):
            line = line[:-1] + '{" "}'
        fixed.append(line)
    if len(fixed) == 1:
        return fixed[0] if fixed[0] else '{""}'
    return "\n" + "\n".join(("    " + l) if l else "" for l in fixed)


def existing_ids(ftl: str) -> set:
    return set(re.findall(r"^([A-Za-z][A-Za-z0-9_-]*)\s*=", ftl, re.M))


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    json_path, ftl_path = sys.argv[1], sys.argv[2]
    with open(json_path, encoding="utf-8") as f:
        table = json.load(f)
    try:
        with open(ftl_path, encoding="utf-8") as f:
            ftl = f.read()
    except FileNotFoundError:
        ftl = ""
    have = existing_ids(ftl)
    added = []
    for key, text in table.items():
        mid = message_id(key)
        if mid not in have:
            value = pattern(text)
            gap = "" if value.startswith("\n") else " "
            added.append(f"{mid} ={gap}{value}\n")
            have.add(mid)
    if added:
        with open(ftl_path, "a", encoding="utf-8") as f:
            if ftl and not ftl.endswith("\n"):
                f.write("\n")
            f.writelines(added)
    print(f"{ftl_path}: {len(added)} message(s) added")


if __name__ == "__main__":
    main()
