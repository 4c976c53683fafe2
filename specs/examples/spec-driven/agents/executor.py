#!/usr/bin/env python3
"""The executor agent of Converge's spec-driven example (offline, deterministic, no API key).

A command agent like the demo's codemod (specs/examples/demo/agents/codemod.py) for the textkit
repository, with two differences that the example is about:

  - it needs the spec documents: Converge gives every agent the spec's `context` documents as files
    (CONVERGE_CONTEXT_DIR, CONVERGE_CONTEXT_FILES) and after the instructions on standard input.
    Without them this agent refuses to work (exit code 4);
  - with --record-dir DIR it writes what it received (task, environment, standard input, the
    documents with their SHA-256) to DIR/<task>--<agent>--<sample>.json, so tests can check it.

Styles:
  careful   the correct fix for fix-slugify, fix-word-count and fix-ordinal; for add-truncate and
            add-roman it changes nothing ("don't know how") and exits 0.
  thorough  the same fixes, plus working implementations of truncate() and to_roman() that break
            the spec: truncate() goes through a new helper module textkit/_text_util.py that the
            task does not name (drift), and to_roman() keeps a debug print() (a forbidden pattern).
"""

import argparse
import hashlib
import json
import os
import re
import sys
from pathlib import Path


class DontKnowHow(Exception):
    pass


def read(path):
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise DontKnowHow(f"cannot read {path}: {e}") from e


def write(path, text):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")


def replace_once(path, old, new):
    text = read(path)
    if text.count(old) != 1:
        raise DontKnowHow(f"{path} does not contain the expected code")
    write(path, text.replace(old, new, 1))


def fix_slugify():
    replace_once("textkit/slug.py", 're.sub(r"[^a-z0-9]", "-", text)', 're.sub(r"[^a-z0-9]+", "-", text)')


def fix_word_count():
    replace_once("textkit/words.py", 'return len(text.split(" "))', "return len(words(text))")


def fix_ordinal():
    replace_once(
        "textkit/numbers.py",
        '    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")\n',
        "    if n % 100 in (11, 12, 13):\n"
        '        return f"{n}th"\n'
        '    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")\n',
    )


def truncate_with_helper():
    write(
        "textkit/_text_util.py",
        '"""Helpers shared by textkit modules."""\n\n\n'
        "def last_space_before(text: str, limit: int) -> int:\n"
        '    """Index of the last space in text[:limit + 1], or -1."""\n'
        '    return text.rfind(" ", 0, limit + 1)\n',
    )
    replace_once(
        "textkit/wrap.py",
        '    raise NotImplementedError("truncate() is not written yet")\n',
        "    from textkit._text_util import last_space_before\n"
        "\n"
        "    if len(text) <= width:\n"
        "        return text\n"
        "    room = max(0, width - len(placeholder))\n"
        "    cut = last_space_before(text, room)\n"
        "    head = text[:cut] if cut > 0 else text[:room]\n"
        "    return (head.rstrip() + placeholder)[:width]\n",
    )


def roman_with_debug_print():
    replace_once(
        "textkit/roman.py",
        '    raise NotImplementedError("to_roman() is not written yet")\n',
        "    if not 1 <= n <= 3999:\n"
        '        raise ValueError(f"to_roman() takes 1 to 3999, got {n}")\n'
        "    result = []\n"
        "    for value, letters in (\n"
        '        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),\n'
        '        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),\n'
        "    ):\n"
        "        while n >= value:\n"
        "            result.append(letters)\n"
        "            n -= value\n"
        '    print("to_roman:", result)\n'
        '    return "".join(result)\n',
    )


# task id -> (careful edit, thorough edit); None: the style does not know the task
RECIPES = {
    "fix-slugify": (fix_slugify, fix_slugify),
    "fix-word-count": (fix_word_count, fix_word_count),
    "fix-ordinal": (fix_ordinal, fix_ordinal),
    "add-truncate": (None, truncate_with_helper),
    "add-roman": (None, roman_with_debug_print),
}


def recognise(task_id):
    for key in RECIPES:
        if re.search(rf"(^|/){re.escape(key)}$", task_id):
            return key
    return None


def record(record_dir, stdin_text, documents):
    task = os.environ.get("CONVERGE_TASK_ID", "")
    agent = os.environ.get("CONVERGE_AGENT_ID", "")
    sample = os.environ.get("CONVERGE_SAMPLE", "")
    entry = {
        "task": task,
        "agent": agent,
        "sample": sample,
        "instructions": os.environ.get("CONVERGE_INSTRUCTIONS", ""),
        "files": os.environ.get("CONVERGE_FILES", ""),
        "goal": os.environ.get("CONVERGE_GOAL", ""),
        "contextDir": os.environ.get("CONVERGE_CONTEXT_DIR", ""),
        "contextFiles": documents,
        "stdin": stdin_text,
    }
    Path(record_dir).mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", f"{task}--{agent}--{sample}") + ".json"
    Path(record_dir, name).write_text(json.dumps(entry, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", choices=("careful", "thorough"), required=True)
    parser.add_argument("--record-dir", help="write what this agent received to this folder")
    args = parser.parse_args(argv)

    stdin_text = "" if sys.stdin.isatty() else sys.stdin.read()
    paths = [p for p in os.environ.get("CONVERGE_CONTEXT_FILES", "").splitlines() if p.strip()]
    documents = []
    for p in paths:
        data = Path(p).read_bytes() if Path(p).is_file() else b""
        documents.append({"path": p, "name": Path(p).name, "sha256": hashlib.sha256(data).hexdigest(),
                          "size": len(data)})
    if args.record_dir:
        record(args.record_dir, stdin_text, documents)

    task_id = os.environ.get("CONVERGE_TASK_ID", "")
    who = f"{os.environ.get('CONVERGE_AGENT_ID', 'executor')} ({args.style})"
    if not documents or any(d["size"] == 0 for d in documents):
        print(f"{who}: no spec documents received (CONVERGE_CONTEXT_FILES is empty); refusing to guess",
              file=sys.stderr)
        return 4
    names = ", ".join(d["name"] for d in documents)
    key = recognise(task_id)
    edit = None if key is None else RECIPES[key][0 if args.style == "careful" else 1]
    if edit is None:
        print(f"{who}: read {names}; don't know how to do task {task_id!r}; leaving the code unchanged")
        return 0
    try:
        edit()
    except DontKnowHow as e:
        print(f"{who}: don't know how to do task {task_id!r}: {e}")
        return 0
    print(f"{who}: read {names}; applied the {key} edit")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
