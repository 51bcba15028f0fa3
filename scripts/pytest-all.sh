#!/usr/bin/env bash
# The whole pytest suite in two processes at once, so that `make test` stays well under 30 minutes on 2 cores:
# - the browser journeys (tests/e2e) mostly wait on the real-time windows of the launcher they start;
# - everything else runs in-process on moto and keeps one core busy.
# The grants check stays with the in-process tests, whose AWS calls it judges (the journeys' calls are made by the
# launcher's own process and are not recorded). The journeys' output comes last, closing with pytest's summary line;
# the exit status fails when either run fails.
set -u
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
journeys_log=$(mktemp)
trap 'rm -f "$journeys_log"' EXIT

"$PY" -m pytest -q tests/e2e > "$journeys_log" 2>&1 &
journeys_pid=$!
"$PY" -m pytest -q --ignore=tests/e2e
rest=$?
wait "$journeys_pid"
journeys=$?

echo
echo "---- browser journeys (tests/e2e), run beside the rest ----"
cat "$journeys_log"
[ "$rest" -eq 0 ] && [ "$journeys" -eq 0 ]
