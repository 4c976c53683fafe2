#!/usr/bin/env python3
"""The migration example's codemod agent: a deterministic script, no model and no network.

It runs in the task's private checkout and knows three kinds of task (by the end of
CONVERGE_TASK_ID, which is "<repo>/<task>" when the spec has several targets):

  migrate-<stem>  in each file of CONVERGE_FILES, replace legacy_http.fetch_json(url, timeout) by
                  http2.get(url, timeout=timeout).json(); refuses (exit 3) a file marked
                  "codemod: unsupported"
  raise-timeout   set TIMEOUT to 60 in app/settings.py
  more-retries    set RETRIES to 3 in app/settings.py

Any other task: it says so and changes nothing.
"""

import os
import re
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


CALL = re.compile(r"legacy_http\.fetch_json\((?P<url>.+), (?P<timeout>[\w.]+)\)")


def migrate(files):
    for path in files:
        text = read(path)
        if "codemod: unsupported" in text:
            sys.stderr.write("%s is generated code this codemod does not touch\n" % path)
            sys.exit(3)
        text = text.replace("from vendor import legacy_http", "from vendor import http2")
        text = CALL.sub(r"http2.get(\g<url>, timeout=\g<timeout>).json()", text)
        write(path, text)


def set_limit(name, value):
    path = "app/settings.py"
    text = read(path)
    position = {"TIMEOUT": 0, "RETRIES": 1}[name]

    def tuple_form(match):
        values = [v.strip() for v in match.group(2).split(",")]
        values[position] = str(value)
        return "%s = %s" % (match.group(1), ", ".join(values))

    rules = [
        (re.compile(r"^%s = \d+$" % name, re.M), "%s = %d" % (name, value)),
        (re.compile(r"^(TIMEOUT, RETRIES) = (\d+, \d+)$", re.M), tuple_form),
        (re.compile(r'"%s": \d+' % name.lower()), '"%s": %d' % (name.lower(), value)),
    ]
    for pattern, replacement in rules:
        text, count = pattern.subn(replacement, text)
        if count:
            write(path, text)
            return
    print("no %s setting found in %s" % (name, path))


def main():
    task = os.environ.get("CONVERGE_TASK_ID", "").rsplit("/", 1)[-1]
    files = [f for f in os.environ.get("CONVERGE_FILES", "").split("\n") if f]
    if task.startswith("migrate-"):
        migrate(files)
    elif task == "raise-timeout":
        set_limit("TIMEOUT", 60)
    elif task == "more-retries":
        set_limit("RETRIES", 3)
    else:
        print("don't know how to do %s" % task)


if __name__ == "__main__":
    main()
