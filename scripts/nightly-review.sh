#!/usr/bin/env bash
# Nightly review: runs a review spec (kind: review) incrementally, for cron.
#
#   scripts/nightly-review.sh SPEC [--out DIR] [--state PATH] [--fail-on SEVERITY] [--full] [other converge flags]
#
# Reviews only the files that are new or changed since the run that wrote the state file (default
# DIR/review-state.json; a local path or gs://...), carries the other files' findings forward and
# marks the findings of deleted files as fixed. Outputs go to DIR (default converge-nightly):
# findings.sarif, findings.jsonl, results.jsonl, calls.jsonl, summary.json, board.html.
#
# Exit codes:
#   0  the review ran and no new finding of SEVERITY or worse appeared (default SEVERITY: high)
#   3  new findings of SEVERITY or worse appeared (listed in findings.jsonl with "newFinding": true)
#   2  bad input: the spec, its targets or the flags (the message names the field and the line)
#   1  internal error (with a stack trace to report)
#   4  another nightly review with the same output folder is still running
#
# Example crontab line (a dated output folder each night, one state file for all nights):
#   0 2 * * * cd /srv/converge && scripts/nightly-review.sh specs/security.yaml \
#     --out /var/lib/converge/review-$(date +\%F) --state /var/lib/converge/review-state.json \
#     >> /var/log/converge-review.log 2>&1
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

if [ $# -eq 0 ] || [ "${1#-}" != "$1" ]; then
  case "${1:-}" in -h|--help) usage; exit 0 ;; esac
  usage >&2
  exit 2
fi
SPEC="$1"
shift
OUT="converge-nightly"
FAIL_ON="high"
PASS=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --out) OUT="$2"; shift 2 ;;
    --out=*) OUT="${1#--out=}"; shift ;;
    --fail-on) FAIL_ON="$2"; shift 2 ;;
    --fail-on=*) FAIL_ON="${1#--fail-on=}"; shift ;;
    *) PASS+=("$1"); shift ;;
  esac
done

echo "nightly-review: $(date -u +%Y-%m-%dT%H:%M:%SZ) $SPEC -> $OUT" >&2
if [[ "$OUT" != *://* ]] && command -v flock >/dev/null 2>&1; then
  mkdir -p "$OUT"
  exec 9>"$OUT/.nightly-review.lock"
  if ! flock -n 9; then
    echo "nightly-review: another review into $OUT is still running" >&2
    exit 4
  fi
fi
set +e
"$ROOT/scripts/converge" review "$SPEC" --out "$OUT" --fail-on "$FAIL_ON" ${PASS[@]+"${PASS[@]}"}
code=$?
set -e
case "$code" in
  0) echo "nightly-review: no new findings of severity $FAIL_ON or worse" >&2 ;;
  3) echo "nightly-review: NEW findings of severity $FAIL_ON or worse; see $OUT/findings.jsonl and $OUT/board.html" >&2 ;;
esac
exit "$code"
