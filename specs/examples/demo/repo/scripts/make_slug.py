#!/usr/bin/env python3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textkit.slug import slugify  # noqa: E402


def main(argv: list[str]) -> int:
    for arg in argv:
        print(slugify(arg))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
