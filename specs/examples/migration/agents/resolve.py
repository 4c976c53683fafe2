#!/usr/bin/env python3
"""The migration example's resolver agent: resolves the merge conflicts it understands.

Converge runs it in a checkout where each file of CONVERGE_FILES holds git conflict markers. Both
settings tasks only raise limits, so when both sides of a conflict are one assignment of the same
names, like "TIMEOUT, RETRIES = 60, 1" against "TIMEOUT, RETRIES = 30, 3", it keeps the larger value
of each ("TIMEOUT, RETRIES = 60, 3"). Anything else it cannot resolve: it exits 1 and says why, and
the task ends in conflict.
"""

import os
import re
import sys

ASSIGNMENT = re.compile(r"^(\w+(?:, \w+)*) = (\d+(?:, \d+)*)$")


def resolve_block(ours, theirs):
    if len(ours) != 1 or len(theirs) != 1:
        return None
    a, b = ASSIGNMENT.match(ours[0].rstrip("\n")), ASSIGNMENT.match(theirs[0].rstrip("\n"))
    if not a or not b or a.group(1) != b.group(1):
        return None
    values = [max(int(x), int(y)) for x, y in zip(a.group(2).split(", "), b.group(2).split(", "))]
    return ["%s = %s\n" % (a.group(1), ", ".join(str(v) for v in values))]


def resolve(path):
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    out, i = [], 0
    while i < len(lines):
        if not lines[i].startswith("<<<<<<< "):
            out.append(lines[i])
            i += 1
            continue
        middle = next(k for k in range(i, len(lines)) if lines[k].rstrip("\n") == "=======")
        end = next(k for k in range(middle, len(lines)) if lines[k].startswith(">>>>>>> "))
        merged = resolve_block(lines[i + 1:middle], lines[middle + 1:end])
        if merged is None:
            sys.stderr.write("cannot resolve the conflict at line %d of %s\n" % (i + 1, path))
            sys.exit(1)
        out.extend(merged)
        i = end + 1
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(out)


def main():
    for path in [f for f in os.environ.get("CONVERGE_FILES", "").split("\n") if f]:
        resolve(path)


if __name__ == "__main__":
    main()
