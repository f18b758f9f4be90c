#!/usr/bin/env bash
# Runs every FastPath test (unit, interop, and the network tests that need root and namespaces),
# after installing what they need. Ends with one line: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build FastPath.sln -c Release --nologo -v quiet -clp:ErrorsOnly 2>&1 | tee "$log"
build=${PIPESTATUS[0]}
if [ "$build" -ne 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# Test assemblies run one after another: the network tests create namespaces and pin threads,
# and two of them at once on a 2-core machine only measure contention.
dotnet test FastPath.sln -c Release --no-build --nologo -m:1 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

read -r passed failed skipped < <(
  grep -E '(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+' "$log" |
  sed -E 's/.*Failed: +([0-9]+), +Passed: +([0-9]+), +Skipped: +([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
# The benchmark report's generator (scripts/bench/report.py) is Python, run by Debian's interpreter (matplotlib).
pylog=$(mktemp)
/usr/bin/python3 -m unittest discover -s scripts/bench -p 'test_*.py' 2>&1 | tee "$pylog"
pyrc=${PIPESTATUS[0]}
read -r pyran pyfailed pyskipped < <(awk '
  /^Ran [0-9]+ test/ { ran = $2 }
  /^FAILED/ { if (match($0, /failures=[0-9]+/)) f += substr($0, RSTART + 9, RLENGTH - 9)
              if (match($0, /errors=[0-9]+/)) f += substr($0, RSTART + 7, RLENGTH - 7) }
  /skipped=[0-9]+/ { if (match($0, /skipped=[0-9]+/)) s = substr($0, RSTART + 8, RLENGTH - 8) }
  END { print ran + 0, f + 0, s + 0 }' "$pylog")
rm -f "$pylog"
[ "$pyrc" -ne 0 ] && [ "$pyfailed" -eq 0 ] && pyfailed=1
pypassed=$((pyran - pyfailed - pyskipped))
[ "$pypassed" -ge 0 ] || pypassed=0
passed=$((passed + pypassed))
failed=$((failed + pyfailed))
skipped=$((skipped + pyskipped))

if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # the runner failed without reporting a failed test (crash, abort): count it
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
