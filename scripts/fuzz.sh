#!/usr/bin/env bash
# Fuzzes one SharpFuzz target of tests/FastPath.Fuzz with afl-fuzz for SECONDS, then prints what it did.
#   scripts/fuzz.sh openflow SECONDS   the OpenFlow codec: decode of every version, decode -> encode -> decode
#   scripts/fuzz.sh flow SECONDS       the ovs-ofctl text parsers: flows, matches, actions, groups, meters
# Installs what it needs (afl++, the sharpfuzz tool from dotnet-tools.json), builds the harness in Release,
# instruments a copy of FastPath.OpenFlow.dll, seeds from the test vectors under tests/, and leaves everything
# in out/fuzz/TARGET: findings/default/{crashes,hangs,queue,fuzzer_stats}, afl.log, the previous run in previous/.
# Exits 0 when the run found nothing, 1 when it saved crashes or hangs (or could not run), 2 on bad arguments.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: scripts/fuzz.sh openflow|flow SECONDS" >&2
  exit 2
}
[ $# -eq 2 ] || usage
target=$1
seconds=$2
case "$target" in openflow | flow) ;; *) usage ;; esac
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || usage

# Per execution: afl-fuzz calls an input that runs longer than this a hang (the .NET runtime's first inputs JIT).
EXEC_TIMEOUT_MS=5000
# The harness's managed heap: an input that makes the parser allocate without bound dies with OutOfMemory, a crash.
HEAP_LIMIT=0x20000000 # 512 MiB
# Seed sets larger than this are first reduced with afl-cmin to the inputs that add coverage, given at most
# CMIN_SECONDS (it runs every seed once through the fork server: 51 s for openflow's 1792 distinct seeds, of 3952, on
# a busy 2-core machine; the 600 s the whole set once had was not always enough); past that the fuzzer starts from the
# whole set, and says so.
CMIN_ABOVE=200
CMIN_SECONDS=900

if ! command -v afl-fuzz >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "fuzz: installing afl++"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq afl++ >/dev/null
fi
dotnet tool restore >/dev/null

echo "fuzz: building the harness (Release)"
mkdir -p "out/fuzz/$target"
dotnet build tests/FastPath.Fuzz -c Release --nologo -v quiet >"out/fuzz/$target/build.log" 2>&1 || { cat "out/fuzz/$target/build.log"; exit 1; }
built=tests/FastPath.Fuzz/bin/Release/net10.0
dir=out/fuzz/$target
harness=$dir/harness
mkdir -p "$dir"

# Instrument a fresh copy: the build's own FastPath.OpenFlow.dll stays plain, for replaying findings.
rm -rf "$harness"
cp -r "$built" "$harness"
dotnet tool run sharpfuzz "$harness/FastPath.OpenFlow.dll" >/dev/null

seeds=$dir/seeds
rm -rf "$seeds" "$seeds.all"
dotnet "$built/FastPath.Fuzz.dll" "$target" --seeds . "$seeds.all"

# A test vector that is a finding itself would stop afl-fuzz's first pass over the seeds: replay them with the plain
# build first, and move such vectors out of the corpus into seed-findings/.
seed_findings=$dir/seed-findings
rm -rf "$seed_findings"
mkdir -p "$seed_findings"
DOTNET_GCHeapHardLimit=$HEAP_LIMIT timeout 600 dotnet "$built/FastPath.Fuzz.dll" "$target" --replay "$seeds.all"/* \
  >"$dir/seed-replay.log" 2>&1 || true
sed -n 's/^\([^ ]*\): FINDING .*/\1/p' "$dir/seed-replay.log" | while read -r f; do mv "$f" "$seed_findings/"; done
bad_seeds=$(find "$seed_findings" -type f | wc -l)
if [ "$bad_seeds" -gt 0 ]; then
  echo "fuzz: $bad_seeds test vectors are findings themselves (moved to $seed_findings; see $dir/seed-replay.log)"
fi

export AFL_SKIP_BIN_CHECK=1                        # the binary is dotnet; the instrumentation is in the DLL
export AFL_NO_AFFINITY=1                           # 2 cores shared with other work: let the scheduler place it
export AFL_SKIP_CPUFREQ=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1     # core_pattern may pipe cores elsewhere; SharpFuzz reports crashes itself
export AFL_NO_UI=1
export DOTNET_GCHeapHardLimit=$HEAP_LIMIT
dotnet_bin=$(readlink -f "$(command -v dotnet)")   # afl-cmin wants a path
run=("$dotnet_bin" "$harness/FastPath.Fuzz.dll" "$target")

# Identical seeds first (the test vectors repeat messages across files and versions; about half of openflow's), by
# content hash: cheap, and afl-cmin then traces only distinct inputs.
generated=$(find "$seeds.all" -type f | wc -l)
find "$seeds.all" -type f -print0 | xargs -0 sha1sum | sort -k1,1 -s | awk 'seen[$1]++ { print $2 }' | xargs -r rm -f
count=$(find "$seeds.all" -type f | wc -l)
[ "$count" -lt "$generated" ] && echo "fuzz: $generated seeds, $count distinct"
if [ "$count" -gt "$CMIN_ABOVE" ]; then
  cmin_start=$SECONDS
  if timeout "$CMIN_SECONDS" afl-cmin -i "$seeds.all" -o "$seeds" -t "$EXEC_TIMEOUT_MS" -m none -- "${run[@]}" >"$dir/cmin.log" 2>&1; then
    echo "fuzz: $count seeds, $(find "$seeds" -type f | wc -l) after afl-cmin ($((SECONDS - cmin_start))s)"
    rm -rf "$seeds.all"
  else
    echo "fuzz: afl-cmin did not finish within ${CMIN_SECONDS}s (see $dir/cmin.log); fuzzing from all $count seeds instead"
    rm -rf "$seeds"
    mv "$seeds.all" "$seeds"
  fi
else
  rm -rf "$seeds"
  mv "$seeds.all" "$seeds"
  echo "fuzz: $count seeds (at most $CMIN_ABOVE are not minimised)"
fi

findings=$dir/findings
if [ -d "$findings" ]; then
  rm -rf "$dir/previous"
  mv "$findings" "$dir/previous"
fi

# Keywords of the input language, so mutations splice in "actions=" or "NXM_NX_REG0" instead of guessing them.
dict=()
dotnet "$built/FastPath.Fuzz.dll" "$target" --dict "$dir/words.dict"
[ -s "$dir/words.dict" ] && dict=(-x "$dir/words.dict")

echo "fuzz: afl-fuzz on $target for ${seconds}s (log: $dir/afl.log)"
# -V stops afl-fuzz after SECONDS; the outer timeout only guards against a fuzzer that never starts fuzzing.
rc=0
timeout $((seconds + 600)) afl-fuzz -i "$seeds" -o "$findings" "${dict[@]}" -t "$EXEC_TIMEOUT_MS" -m none -V "$seconds" -- "${run[@]}" \
  >"$dir/afl.log" 2>&1 || rc=$?
stats=$findings/default/fuzzer_stats
if [ ! -f "$stats" ]; then
  echo "fuzz: afl-fuzz did not run (exit $rc); the end of $dir/afl.log:" >&2
  tail -n 20 "$dir/afl.log" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' >&2
  exit 1
fi

field() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
execs=$(field execs_done)
speed=$(field execs_per_sec)
paths=$(field corpus_count)
found=$(field corpus_found)
cover=$(field bitmap_cvg)
runtime=$(field run_time)
crashes=$(find "$findings/default/crashes" -type f -name 'id:*' | wc -l)
hangs=$(find "$findings/default/hangs" -type f -name 'id:*' | wc -l)
echo "fuzz $target: ${runtime}s, $execs executions ($speed/s), $paths paths in the corpus ($found found by fuzzing," \
  "map coverage $cover), $crashes crashes, $hangs hangs, $bad_seeds seeds that were findings already." \
  "Crashes and hangs are in $findings/default/{crashes,hangs}; replay one with: dotnet $built/FastPath.Fuzz.dll $target --replay FILE"
[ "$crashes" -eq 0 ] && [ "$hangs" -eq 0 ] && [ "$bad_seeds" -eq 0 ]
