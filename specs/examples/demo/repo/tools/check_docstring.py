#!/usr/bin/env python3
"""Exit 0 when every Python file named on the command line starts with a module docstring.

Usage: python3 tools/check_docstring.py FILE...

A module docstring is a string literal that is the first statement of the file (comments and a
shebang line may come before it). The file must also parse.
"""

import ast
import sys
from pathlib import Path


def check(path: str) -> str | None:
    """Return None when path has a non-empty module docstring, otherwise the problem."""
    try:
        source = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        return f"cannot read: {e}"
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as e:
        return f"does not parse: {e}"
    doc = ast.get_docstring(tree)
    if not doc or not doc.strip():
        return "missing module docstring"
    return None


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = 0
    for path in argv:
        problem = check(path)
        if problem:
            failed += 1
            print(f"{path}: {problem}")
        else:
            print(f"{path}: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
