#!/usr/bin/env bash
# The whole pytest suite in two processes at once, so that `make test` stays well under 30 minutes on 2 cores:
# - the browser journeys (tests/e2e) mostly wait on the real-time windows of the launcher they start;
# - everything else runs in-process on moto and keeps one core busy.
# The grants check stays with the in-process tests, whose AWS calls it judges (the journeys' calls are made by the
# launcher's own process and are not recorded). The journeys' output follows the rest; the last line adds up both
# runs ("pytest: N passed, M failed"), and the exit status fails when either run fails.
set -u
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
journeys_log=$(mktemp)
rest_log=$(mktemp)
trap 'rm -f "$journeys_log" "$rest_log"' EXIT

"$PY" -m pytest -q tests/e2e > "$journeys_log" 2>&1 &
journeys_pid=$!
"$PY" -m pytest -q --ignore=tests/e2e 2>&1 | tee "$rest_log"
rest=${PIPESTATUS[0]}
wait "$journeys_pid"
journeys=$?

echo
echo "---- browser journeys (tests/e2e), run beside the rest ----"
cat "$journeys_log"

# pytest's closing line of each run, e.g. "2 failed, 780 passed, 1 error in 700.10s": add up what both ran.
count() { tail -n 5 "$1" | grep -Eo "[0-9]+ $2" | tail -n 1 | grep -Eo "^[0-9]+" || echo 0; }
passed=$(( $(count "$rest_log" passed) + $(count "$journeys_log" passed) ))
failed=$(( $(count "$rest_log" failed) + $(count "$journeys_log" failed) + $(count "$rest_log" error) + $(count "$journeys_log" error) ))
echo "pytest: $passed passed, $failed failed"
[ "$rest" -eq 0 ] && [ "$journeys" -eq 0 ]
