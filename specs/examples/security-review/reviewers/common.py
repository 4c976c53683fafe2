"""The Converge review contract, for the demo's scripted reviewers and verifier.

A reviewer gets the chunk on standard input and CONVERGE_FILE, CONVERGE_CHUNK_START,
CONVERGE_CHUNK_END and CONVERGE_RULES (JSON) in its environment, and prints a JSON array of
findings {"rule", "startLine", "endLine", "message"} with line numbers of the whole file.
"""
import json
import os
import re
import sys


def read_chunk():
    """The file path, the first line number and the lines of the chunk, and the rule ids asked."""
    text = sys.stdin.read()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    start = int(os.environ["CONVERGE_CHUNK_START"])
    rules = {rule["id"] for rule in json.loads(os.environ["CONVERGE_RULES"])}
    return os.environ["CONVERGE_FILE"], start, lines, rules


def numbered(start, lines):
    """(line number, text) pairs."""
    return [(start + i, line) for i, line in enumerate(lines)]


def functions(start, lines):
    """Top-level Python functions: (first line number, last line number, parameters, lines)."""
    found = []
    current = None
    for number, line in numbered(start, lines):
        match = re.match(r"def (\w+)\((.*)\):", line)
        if match:
            if current:
                found.append(current)
            params = [p.strip().split("=")[0].strip() for p in match.group(2).split(",") if p.strip()]
            current = [number, number, params, [line]]
        elif current and (line.startswith(" ") or not line.strip()):
            current[1] = number
            current[3].append(line)
        elif current:
            found.append(current)
            current = None
    if current:
        found.append(current)
    return found


def finding(rule, start_line, end_line, message):
    return {"rule": rule, "startLine": start_line, "endLine": end_line, "message": message}


def emit(findings):
    print(json.dumps(findings, indent=1))
