"""A hasty reviewer: flags every line with a suspicious word. It finds the real issues too, and
many false positives, which the quorum filters out."""
import re

import common

WORDS = {
    "hardcoded-secret": r"key|secret|token|password|credential",
    "sql-injection": r"select|insert|update|delete|query|execute",
    "path-traversal": r"open\(|os\.path\.join",
    "copyleft-license": r"licens",
}
MESSAGES = {
    "hardcoded-secret": "Possible hard-coded secret or credential (the line mentions '%s')",
    "sql-injection": "Possible SQL injection in this query (the line mentions '%s')",
    "path-traversal": "Possible path traversal: file path opened here (the line has '%s')",
    "copyleft-license": "Possible copyleft license clause (the line mentions '%s')",
}


def main():
    path, start, lines, rules = common.read_chunk()
    findings = []
    for number, line in common.numbered(start, lines):
        for rule in sorted(rules):
            match = re.search(WORDS[rule], line, re.I)
            if match:
                findings.append(common.finding(rule, number, number, MESSAGES[rule] % match.group(0)))
    common.emit(findings)


if __name__ == "__main__":
    main()
