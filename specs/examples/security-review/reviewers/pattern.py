"""A careful reviewer: precise patterns, few findings, no false positives on the demo."""
import re

import common

SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b")
CONCAT = re.compile(r"[\"']\s*\+\s*\w|\w\s*\+\s*[\"']|\bf[\"'].*\{|%\s*\(|\.format\(")
SECRET = re.compile(r"^\s*([A-Z][A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD)[A-Z0-9_]*)\s*=\s*[\"']([^\"']{16,})[\"']")
COPYLEFT = re.compile(r"\b(A?GPL(-\d(\.\d)?)?|GNU (Affero )?General Public License)\b")


def main():
    path, start, lines, rules = common.read_chunk()
    findings = []
    for number, line in common.numbered(start, lines):
        if "hardcoded-secret" in rules:
            match = SECRET.match(line)
            if match and "environ" not in line:
                findings.append(common.finding(
                    "hardcoded-secret", number, number,
                    "Hard-coded secret: %s holds a literal credential; load it from the environment "
                    "or a secret store" % match.group(1)))
        if "sql-injection" in rules and SQL.search(line) and CONCAT.search(line):
            findings.append(common.finding(
                "sql-injection", number, number,
                "SQL injection: the query is built by string concatenation with caller input; "
                "use bound parameters"))
        if "copyleft-license" in rules and COPYLEFT.search(line) and "Lesser" not in line:
            findings.append(common.finding(
                "copyleft-license", number, number,
                "Copyleft license: a component under the GNU AGPL/GPL is distributed with the product"))
    if "path-traversal" in rules and path.endswith(".py"):
        for first, last, params, body in common.functions(start, lines):
            text = "\n".join(body)
            if re.search(r"realpath|commonpath|abspath", text):
                continue
            for offset, line in enumerate(body):
                join = re.search(r"os\.path\.join\(([^)]*)\)", line)
                if join and any(re.search(r"\b%s\b" % re.escape(p), join.group(1)) for p in params):
                    opened = next((first + i for i, l in enumerate(body) if "open(" in l and i > offset), first + offset)
                    findings.append(common.finding(
                        "path-traversal", first + offset, opened,
                        "Path traversal: a caller-controlled file name is joined to the folder and opened "
                        "without checking that the path stays inside it"))
    common.emit(findings)


if __name__ == "__main__":
    main()
