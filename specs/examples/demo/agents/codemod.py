#!/usr/bin/env python3
"""A tiny deterministic "coding agent" for the Converge offline demo (no network, no API key).

It is a codemod that knows a fixed set of edits to the demo's textkit repository. Converge runs it
like any command agent: the working directory is a fresh checkout of the repository, the task comes
in environment variables (CONVERGE_TASK_ID, CONVERGE_INSTRUCTIONS, CONVERGE_FILES, CONVERGE_SAMPLE,
CONVERGE_AGENT_ID, CONVERGE_GOAL, CONVERGE_WORKTREE) and the instructions also on stdin. It edits
files in place; the candidate is the git diff it leaves behind.

Styles:
  careful  makes the correct change for the tasks it knows; for any other task it changes nothing,
           prints "don't know how" and exits 0.
  hasty    makes a plausible but wrong change for the tasks it knows (one that fails the task's
           test, except on add-roman, where it special-cases the tested values and passes), and
           changes nothing for the others.
  fixer    a repair agent: asked to repair a rejected change (Converge adds the reasons and the
           rejected change to the instructions), it makes the correct change for the tasks it
           knows, add-truncate included; it never works on a task that was not rejected.
  reviewer a verifier: with CONVERGE_ROLE=verify it reads the patch in CONVERGE_PATCH_FILE and
           prints a JSON verdict; it fails code that hard-codes values the tests check.

--crash-on TASK makes the agent exit with code 3 (message on stderr) on that task, without
touching any file, to show that an agent failure is recorded and does not stop the job.

The output depends only on the task and the repository content (never on the agent id, the sample
index or the clock), so two agents with the same style produce byte-identical changes.
"""

import argparse
import ast
import json
import os
import re
import sys
from pathlib import Path


class DontKnowHow(Exception):
    """The repository does not look the way this codemod expects."""


# --- file helpers -------------------------------------------------------------------------------


def read(path: str) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8")
    except OSError as e:
        raise DontKnowHow(f"cannot read {path}: {e}") from e


def write(path: str, text: str) -> None:
    Path(path).write_bytes(text.encode("utf-8"))


def replace_once(path: str, old: str, new: str) -> None:
    text = read(path)
    if text.count(old) != 1:
        raise DontKnowHow(f"{path} does not contain the expected code")
    write(path, text.replace(old, new, 1))


# --- the edits ----------------------------------------------------------------------------------

SLUG = "textkit/slug.py"
WORDS = "textkit/words.py"
NUMBERS = "textkit/numbers.py"
WRAP = "textkit/wrap.py"
ROMAN = "textkit/roman.py"


def careful_slugify(_task):
    replace_once(SLUG, 're.sub(r"[^a-z0-9]", "-", text)', 're.sub(r"[^a-z0-9]+", "-", text)')


def hasty_slugify(_task):
    # Only collapses pairs of dashes: "a -- b" still becomes "a--b".
    replace_once(SLUG, 'return text.strip("-")', 'return text.replace("--", "-").strip("-")')


def careful_word_count(_task):
    replace_once(WORDS, 'return len(text.split(" "))', "return len(words(text))")


def hasty_word_count(_task):
    # Fixes the empty text only; runs of spaces and other whitespace are still wrong.
    replace_once(WORDS, 'return len(text.split(" "))', 'return len(text.split(" ")) if text else 0')


def careful_ordinal(_task):
    replace_once(
        NUMBERS,
        '    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")\n',
        "    if n % 100 in (11, 12, 13):\n"
        '        return f"{n}th"\n'
        '    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")\n',
    )


def hasty_ordinal(_task):
    # Handles 11, 12 and 13 but not 111, 112, 213 ...
    replace_once(
        NUMBERS,
        '    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")\n',
        "    if n in (11, 12, 13):\n"
        '        return f"{n}th"\n'
        '    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")\n',
    )


def hasty_truncate(_task):
    # Appends the placeholder after cutting, so the result is longer than width.
    replace_once(
        WRAP,
        '    raise NotImplementedError("truncate() is not written yet")\n',
        "    if len(text) <= width:\n"
        "        return text\n"
        "    return text[:width] + placeholder\n",
    )


def hasty_roman(_task):
    # Passes the tests by special-casing the values they check: 14 still becomes "XIIII".
    replace_once(
        ROMAN,
        '    raise NotImplementedError("to_roman() is not written yet")\n',
        "    if not 1 <= n <= 3999:\n"
        '        raise ValueError(f"{n} is outside 1..3999")\n'
        '    special = {4: "IV", 9: "IX", 1994: "MCMXCIV", 3999: "MMMCMXCIX"}\n'
        "    if n in special:\n"
        "        return special[n]\n"
        "    result = []\n"
        '    for value, letters in ((1000, "M"), (500, "D"), (100, "C"), (50, "L"), (10, "X"), (5, "V"), (1, "I")):\n'
        "        while n >= value:\n"
        "            result.append(letters)\n"
        "            n -= value\n"
        '    return "".join(result)\n',
    )


def fixer_truncate(_task):
    # The repair: cut at the last space that leaves room for the placeholder.
    replace_once(
        WRAP,
        '    raise NotImplementedError("truncate() is not written yet")\n',
        "    if len(text) <= width:\n"
        "        return text\n"
        "    room = max(0, width - len(placeholder))\n"
        "    head = text[: room + 1]\n"
        '    cut = head.rsplit(" ", 1)[0] if " " in head else text[:room]\n'
        "    return cut.rstrip() + placeholder\n",
    )


KNOWN_DOCSTRINGS = {
    "count_words.py": "Print how many words standard input contains.",
    "make_slug.py": "Print the slug of each command-line argument, one per line.",
}


def docstring_path(task) -> str:
    match = re.search(r"docstring to (\S+?)\.?\s*$", task["instructions"].strip().splitlines()[0])
    if match:
        return match.group(1).strip("`'\"")
    if len(task["files"]) == 1:
        return task["files"][0]
    raise DontKnowHow("cannot tell which file needs a docstring")


def careful_docstring(task):
    path = docstring_path(task)
    text = read(path)
    if ast.get_docstring(ast.parse(text, filename=path)):
        print(f"{path} already has a module docstring; nothing to do")
        return False
    name = Path(path).name
    doc = KNOWN_DOCSTRINGS.get(name, f"The {Path(path).stem.replace('_', ' ')} module.")
    lines = text.splitlines(keepends=True)
    at = 0  # after a shebang, encoding line or other leading comments
    while at < len(lines) and lines[at].startswith("#"):
        at += 1
    rest = lines[at:]
    blank = [] if rest and not rest[0].strip() else ["\n"]
    write(path, "".join(lines[:at] + [f'"""{doc}"""\n'] + blank + rest))


def hasty_docstring(task):
    # Puts the string after the imports, where Python does not treat it as the module docstring.
    path = docstring_path(task)
    text = read(path)
    marker = "\n\ndef main("
    if marker not in text:
        raise DontKnowHow(f"{path} has no main() function")
    doc = f'"""{Path(path).stem.replace("_", " ").capitalize()} script."""'
    write(path, text.replace(marker, f"\n{doc}\n\ndef main(", 1))


# recipe key (also matched against the task id) -> (instructions pattern, careful edit, hasty edit,
# fixer edit); None means the style does not know the task.
RECIPES = {
    "fix-slugify": (r"\bslugify\b", careful_slugify, hasty_slugify, careful_slugify),
    "fix-word-count": (r"\bword_count\b", careful_word_count, hasty_word_count, careful_word_count),
    "fix-ordinal": (r"\bordinal\b", careful_ordinal, hasty_ordinal, careful_ordinal),
    "add-truncate": (r"\btruncate\b", None, hasty_truncate, fixer_truncate),
    "add-roman": (r"\bto_roman\b|\broman\b", None, hasty_roman, None),
    "docstring": (r"\bmodule docstring\b", careful_docstring, hasty_docstring, careful_docstring),
}

STYLES = ("careful", "hasty", "fixer")

# What Converge adds to a task's instructions when it asks for a repair (see RepairOutcomes).
REPAIR_MARKER = "A previous change for this task was rejected."


# --- the reviewer -------------------------------------------------------------------------------

QUOTED = re.compile(r""""([^"]*)"|'([^']*)'""")


def review(patch: str) -> dict:
    """Judge a patch the way a careful reviewer would, for what tests miss.

    The one rule this reviewer knows: code must not special-case the exact values the tests check
    (a string literal of 4+ characters on an added line that is also an expected value in tests/).
    """
    test_text = "".join(read(str(p)) for p in sorted(Path("tests").glob("*.py")))
    reasons, locations = [], []
    path, line_no = None, 0
    for line in patch.splitlines():
        if line.startswith("+++ "):
            path = line[6:] if line.startswith("+++ b/") else None
        elif line.startswith("@@"):
            line_no = int(re.search(r"\+(\d+)", line).group(1)) - 1
        elif path and not line.startswith("-"):
            line_no += 1
            if line.startswith("+") and not path.startswith("tests/"):
                tested = [literal for literal in (a or b for a, b in QUOTED.findall(line[1:]))
                          if len(literal) >= 4
                          and (f'"{literal}"' in test_text or f"'{literal}'" in test_text)]
                if tested:
                    reasons.append(f"{path}:{line_no} hard-codes {', '.join(map(repr, tested))},"
                                   " values the tests check: the code passes the tests without doing the task")
                    locations.append({"file": path, "line": line_no})
    if reasons:
        return {"verdict": "fail", "reasons": reasons, "locations": locations, "score": 0.1}
    return {"verdict": "pass", "reasons": ["no special-casing of tested values found"], "score": 0.8}


def recognise(task) -> str | None:
    """Return the recipe key for the task: by its id first, then by its instructions."""
    task_id = task["id"]
    for key in RECIPES:
        # Accept the bare id and ids that Converge may prefix, e.g. "textkit/fix-slugify".
        if re.search(rf"(^|[^A-Za-z0-9_]){re.escape(key)}($|[^A-Za-z0-9_])", task_id):
            return key
    for key, (pattern, *_) in RECIPES.items():
        if re.search(pattern, task["instructions"], re.IGNORECASE):
            return key
    return None


# --- main ---------------------------------------------------------------------------------------


def read_task() -> dict:
    instructions = os.environ.get("CONVERGE_INSTRUCTIONS", "")
    if not instructions.strip() and not sys.stdin.isatty():
        instructions = sys.stdin.read()
    files = [f.strip() for f in os.environ.get("CONVERGE_FILES", "").splitlines() if f.strip()]
    return {
        "id": os.environ.get("CONVERGE_TASK_ID", ""),
        "instructions": instructions,
        "files": files,
        "agent": os.environ.get("CONVERGE_AGENT_ID", "codemod"),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", choices=STYLES + ("reviewer",), required=True)
    parser.add_argument("--crash-on", metavar="TASK", action="append", default=[],
                        help="exit with code 3 on this task (the id, or its recipe key)")
    args = parser.parse_args(argv)

    worktree = os.environ.get("CONVERGE_WORKTREE")
    if worktree:
        os.chdir(worktree)

    if os.environ.get("CONVERGE_ROLE") == "verify":
        print(json.dumps(review(read(os.environ["CONVERGE_PATCH_FILE"]))))
        return 0
    task = read_task()
    who = f"{task['agent']} ({args.style})"
    if args.style == "reviewer":
        print(f"{who}: a reviewer only verifies; leaving the code unchanged")
        return 0
    if args.style == "fixer" and REPAIR_MARKER not in task["instructions"]:
        print(f"{who}: a fixer only repairs rejected changes; leaving the code unchanged")
        return 0
    # A repair request repeats the task's own instructions first; the rest must not match recipes.
    task["instructions"] = task["instructions"].split(REPAIR_MARKER)[0]
    key = recognise(task)
    if key is not None and (key in args.crash_on or task["id"] in args.crash_on):
        print(f"{who}: simulated crash on task {task['id']!r}", file=sys.stderr)
        return 3
    edit = None
    if key is not None:
        edit = RECIPES[key][1 + STYLES.index(args.style)]
    if edit is None:
        print(f"{who}: don't know how to do task {task['id']!r}; leaving the code unchanged")
        return 0
    try:
        changed = edit(task)
    except DontKnowHow as e:
        print(f"{who}: don't know how to do task {task['id']!r}: {e}")
        return 0
    if changed is False:
        print(f"{who}: task {task['id']!r} needs no change")
    else:
        print(f"{who}: applied the {key} edit for task {task['id']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
