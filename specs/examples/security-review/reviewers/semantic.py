"""A second careful reviewer with another approach and its own wording; a bit lenient on secrets
(it also flags test fixtures, which the verifier then refutes)."""
import re

import common

SECRET_NAME = re.compile(r"^\s*(\w*(password|passwd|secret|token|api_key|apikey)\w*)\s*=\s*[\"'](.+)[\"']", re.I)
SQL_TEXT = re.compile(r"[\"'][^\"']*\b(select|insert|update|delete)\b", re.I)


def main():
    path, start, lines, rules = common.read_chunk()
    findings = []
    for number, line in common.numbered(start, lines):
        if "hardcoded-secret" in rules:
            match = SECRET_NAME.match(line)
            if match and "environ" not in line and "getenv" not in line:
                findings.append(common.finding(
                    "hardcoded-secret", number, number,
                    "%s is assigned a literal secret value (hard-coded credential in the source)"
                    % match.group(1)))
        if "sql-injection" in rules and SQL_TEXT.search(line) and re.search(r"\+\s*\w+\s*\+", line):
            findings.append(common.finding(
                "sql-injection", number, number,
                "User input is concatenated into the SQL query text: SQL injection"))
        if "copyleft-license" in rules and re.search(r"Affero|\bAGPL\b|\bGPL\b", line):
            findings.append(common.finding(
                "copyleft-license", number, number,
                "The document declares an AGPL (strong copyleft) license for a distributed component"))
    if "path-traversal" in rules and path.endswith(".py"):
        for first, last, params, body in common.functions(start, lines):
            text = "\n".join(body)
            joined = any(re.search(r"os\.path\.join\([^)]*\b%s\b" % re.escape(p), text) for p in params)
            if not joined or re.search(r"commonpath|realpath", text):
                continue
            for offset, line in enumerate(body):
                if "open(" in line:
                    findings.append(common.finding(
                        "path-traversal", first + offset, first + offset,
                        "open() of a path built from the caller's file name: path traversal with '../' "
                        "can leave the folder"))
    common.emit(findings)


if __name__ == "__main__":
    main()
