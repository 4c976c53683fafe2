"""The adversarial verifier: tries to refute a finding and prints a JSON verdict.

It gets the finding in CONVERGE_FINDING (JSON), the rule in CONVERGE_RULE (JSON), the file in
CONVERGE_FILE and the text around the finding on standard input, whose first line is line
CONVERGE_CONTEXT_START. It prints {"verdict": "confirmed" | "refuted", "reason": "..."}.
"""
import json
import os
import re
import sys

PLACEHOLDER = re.compile(r"changeme|example|dummy|placeholder|xxx|<[^>]+>|^test", re.I)


def verdict(confirmed, reason):
    print(json.dumps({"verdict": "confirmed" if confirmed else "refuted", "reason": reason}))


def main():
    finding = json.loads(os.environ["CONVERGE_FINDING"])
    path = os.environ["CONVERGE_FILE"]
    context_start = int(os.environ["CONVERGE_CONTEXT_START"])
    context = sys.stdin.read().split("\n")
    first = finding["startLine"] - context_start
    flagged = "\n".join(context[first:finding["endLine"] - context_start + 1])
    whole = "\n".join(context)
    rule = finding["rule"]

    if rule == "hardcoded-secret":
        literal = re.search(r"=\s*[\"']([^\"']*)[\"']", flagged)
        if "environ" in flagged or "getenv" in flagged:
            return verdict(False, "the value is read from the environment, not written in the source")
        if path.startswith("tests/") or "/tests/" in path:
            return verdict(False, "a placeholder credential of a test fixture, not a real secret")
        if not literal or PLACEHOLDER.search(literal.group(1)) or len(literal.group(1)) < 12:
            return verdict(False, "no literal that looks like a real credential on the flagged lines")
        return verdict(True, "a %d-character credential literal is assigned in the source" % len(literal.group(1)))

    if rule == "sql-injection":
        if re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\b", flagged, re.I) and re.search(r"[\"']\s*\+|\+\s*[\"']|\bf[\"']|\.format\(|%\s*\(", flagged):
            return verdict(True, "the SQL text is concatenated with a variable before it is executed")
        return verdict(False, "the query uses bound parameters or no SQL text is built on the flagged lines")

    if rule == "path-traversal":
        function = whole[: whole.find("\n", whole.find(flagged))] if flagged in whole else whole
        function = function[function.rfind("def "):] if "def " in function else function
        if re.search(r"commonpath|realpath|abspath", function):
            return verdict(False, "the resolved path is checked against the base folder")
        if "os.path.join(" in function and "open(" in function:
            return verdict(True, "a caller-supplied name is joined to the folder and opened without a containment check")
        return verdict(False, "no file is opened from a joined, caller-controlled path here")

    if rule == "copyleft-license":
        if re.search(r"Affero|\bA?GPL\b|General Public License", flagged) and "Lesser" not in flagged:
            return verdict(True, "the text declares a GNU AGPL/GPL component in the distributed product")
        return verdict(False, "the flagged text names no strong copyleft license")

    return verdict(False, "unknown rule %s: cannot substantiate the finding" % rule)


if __name__ == "__main__":
    main()
