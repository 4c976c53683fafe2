#!/usr/bin/env python3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textkit.words import word_count  # noqa: E402


def main() -> int:
    print(word_count(sys.stdin.read()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
