#!/usr/bin/env python3
"""The offline planner of Converge's spec-driven example (no network, no API key).

`converge spec init "INTENT" --target REPO` runs a planner agent to turn an intent into three
documents and a Converge spec. This script is the default planner: a deterministic stand-in for an
LLM planner that knows the demo's `textkit` repository (specs/examples/demo/repo).

The contract (the same for any planner command):
  - working directory: a private checkout of the target's HEAD (read it; changes are thrown away)
  - the intent on standard input and in CONVERGE_INTENT
  - CONVERGE_TARGET       the target repository, absolute
  - CONVERGE_TARGET_PATH  the same path relative to the output folder, as the spec must name it
  - CONVERGE_BASE_COMMIT  the commit the checkout is at
  - CONVERGE_SPEC_DIR     the output folder
  - write into CONVERGE_SPEC_DIR: requirements.md, functional-spec.md, technical-spec.md and
    converge.yaml, whose `context` lists the three documents
  - exit 0 when done

It plans one task per textkit function the intent mentions (all five when it mentions none), copies
the example's executor agent next to the spec, and writes constraints and drift thresholds that the
example's agents are measured against (see specs/examples/spec-driven/EXPECTED.md).
"""

import os
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# task id -> what the planner knows about it
CATALOG = {
    "fix-slugify": {
        "keywords": r"slug",
        "file": "textkit/slug.py",
        "test": "tests.test_slug",
        "requirement": "Slugs collapse every run of spaces and punctuation into a single dash.",
        "behaviour": [
            '`slugify("Hello, World!")` returns `"hello-world"`',
            '`slugify("a -- b")` returns `"a-b"`',
        ],
        "instructions": "slugify() must collapse each run of spaces and punctuation into a single dash",
    },
    "fix-word-count": {
        "keywords": r"word[ _-]?count|words",
        "file": "textkit/words.py",
        "test": "tests.test_words",
        "requirement": "Word counts split on any run of whitespace; an empty or blank text has 0 words.",
        "behaviour": ['`word_count("one  two\\tthree")` returns `3`', '`word_count("   ")` returns `0`'],
        "instructions": "word_count() must split on any run of whitespace and return 0 for an empty or blank text",
    },
    "fix-ordinal": {
        "keywords": r"ordinal",
        "file": "textkit/numbers.py",
        "test": "tests.test_numbers",
        "requirement": "Ordinals of numbers ending in 11, 12 or 13 end in \"th\".",
        "behaviour": ['`ordinal(11)` is `"11th"`', '`ordinal(112)` is `"112th"`', '`ordinal(21)` is `"21st"`'],
        "instructions": 'ordinal() must use "th" for numbers ending in 11, 12 or 13 (11th, 112th, 213th)',
    },
    "add-truncate": {
        "keywords": r"truncat|shorten",
        "file": "textkit/wrap.py",
        "test": "tests.test_wrap",
        "requirement": "Text can be shortened for display to at most a given width, at a word boundary.",
        "behaviour": [
            '`truncate("hello world again", 14)` is `"hello world..."`',
            '`truncate("hello world again", 13)` is `"hello..."`',
            "the result, placeholder included, is never longer than `width`",
        ],
        "instructions": (
            "Implement truncate() in textkit/wrap.py: cut at a word boundary, append the placeholder, "
            "never return more than width characters"
        ),
    },
    "add-roman": {
        "keywords": r"roman",
        "file": "textkit/roman.py",
        "test": "tests.test_roman",
        "requirement": "Numbers from 1 to 3999 can be written as Roman numerals in subtractive notation.",
        "behaviour": ['`to_roman(4)` is `"IV"`', '`to_roman(1994)` is `"MCMXCIV"`', "`to_roman(0)` raises `ValueError`"],
        "instructions": "Implement to_roman() in textkit/roman.py with subtractive notation (4 = IV) and range checks",
    },
}


def slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:6]) or "spec"


def yaml_str(text: str) -> str:
    """A double-quoted YAML string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> int:
    intent = os.environ.get("CONVERGE_INTENT", "").strip() or sys.stdin.read().strip()
    out = Path(os.environ["CONVERGE_SPEC_DIR"])
    target_path = os.environ.get("CONVERGE_TARGET_PATH", "repo")
    commit = os.environ.get("CONVERGE_BASE_COMMIT", "")
    if not intent:
        print("planner: no intent given", file=sys.stderr)
        return 2

    known = {tid: t for tid, t in CATALOG.items() if Path(t["file"]).is_file()}
    if not known:
        print("planner: this offline planner only knows the demo's textkit repository "
              "(specs/examples/demo/repo); use --planner with a real planner agent for others",
              file=sys.stderr)
        return 3
    chosen = {tid: t for tid, t in known.items() if re.search(t["keywords"], intent, re.IGNORECASE)}
    if not chosen:
        chosen = known
    print(f"planner: {len(chosen)} tasks for: {intent}")

    # --- requirements.md
    req = [f"# Requirements\n\nIntent: {intent}\n", f"Target: `{target_path}` at commit `{commit[:12]}`.\n"]
    for i, (tid, t) in enumerate(chosen.items(), 1):
        req.append(f"- **R{i}** ({tid}): {t['requirement']}")
    req.append("- **R0**: Every existing test keeps passing; the library stays standard-library only.\n")
    (out / "requirements.md").write_text("\n".join(req) + "\n", encoding="utf-8")

    # --- functional-spec.md
    fun = ["# Functional spec\n", "What users of textkit see once the work is done.\n"]
    for i, (tid, t) in enumerate(chosen.items(), 1):
        fun.append(f"## R{i}: {tid}\n")
        fun.extend(f"- {b}" for b in t["behaviour"])
        fun.append("")
    (out / "functional-spec.md").write_text("\n".join(fun) + "\n", encoding="utf-8")

    # --- technical-spec.md
    tech = [
        "# Technical spec\n",
        "- One task per requirement; each task changes only the file it names (its scope).",
        "- Python 3, standard library only. No debug output: no `print(`, no `breakpoint()`, no TODO.",
        "- Only files under `textkit/` and `tests/` may change, at most 3 files and 80 lines per change.",
        "- A task's own unit test module decides; the whole suite must keep passing.\n",
        "| task | file | test |",
        "|---|---|---|",
    ]
    tech.extend(f"| {tid} | `{t['file']}` | `python3 -m unittest -q {t['test']}` |" for tid, t in chosen.items())
    (out / "technical-spec.md").write_text("\n".join(tech) + "\n", encoding="utf-8")

    # --- the executor agent, next to the spec
    (out / "agents").mkdir(exist_ok=True)
    shutil.copyfile(HERE / "executor.py", out / "agents" / "executor.py")

    # --- converge.yaml
    y = [
        f"# Generated by `converge spec init` from the intent below; review it, then run",
        f"#   converge plan converge.yaml --out plan.json   and   converge run converge.yaml --plan plan.json",
        f"name: {slug(intent)}",
        "kind: change",
        f"goal: {yaml_str(intent)}",
        "context: [requirements.md, functional-spec.md, technical-spec.md]",
        "targets:",
        f"  - path: {yaml_str(target_path)}",
        "    id: textkit",
        "plan:",
        "  tasks:",
    ]
    for tid, t in chosen.items():
        y += [
            f"    - id: {tid}",
            f"      instructions: {yaml_str(t['instructions'])}",
            f"      files: [{t['file']}]",
            f"      test: python3 -m unittest -q {t['test']}",
        ]
    y += ["agents:"]
    for agent, style in (("careful-a", "careful"), ("careful-b", "careful"), ("thorough", "thorough")):
        y += [
            f"  - id: {agent}",
            "    type: command",
            f'    command: [python3, "{{specDir}}/agents/executor.py", --style, {style}, '
            f'--record-dir, "{{specDir}}/agent-inputs"]',
            "    timeoutSeconds: 60",
        ]
    y += [
        "implement:",
        "  samples: 1",
        "test:",
        "  command: python3 -m unittest discover -s tests -q",
        "  timeoutSeconds: 120",
        "vote:",
        "  strategy: majority",
        "constraints:",
        '  allowedPaths: ["textkit/**", "tests/**"]',
        "  forbiddenPatterns: ['\\bprint\\(', 'breakpoint\\(\\)', 'TODO|FIXME']",
        "  maxChangedFiles: 3",
        "  maxChangedLines: 80",
        "  allowedFileTypes: [py]",
        "drift:",
        "  maxFilesOutsideScope: 0",
        "  maxNewFiles: 0",
        "  maxSizeRatio: 4",
    ]
    (out / "converge.yaml").write_text("\n".join(y) + "\n", encoding="utf-8")
    print(f"planner: wrote requirements.md, functional-spec.md, technical-spec.md and converge.yaml to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
