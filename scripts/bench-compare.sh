#!/usr/bin/env bash
# End-to-end forwarding: FastPath's PMD (replay port -> null port, one pinned core) on the two reference
# workloads, and, when OVS_ANCHOR points to Open vSwitch's reference script (ovs-dpdk.sh: OVS-DPDK on one
# PMD core, pcap replayed from memory into port 1, null port 2), Open vSwitch on the same pcaps and rules
# in the same run, alternating so both see the same machine. Prints one line per run, the medians and the
# FastPath/OVS ratio, and writes out/bench/results.csv and out/bench/forwarding.svg.
# FastPath loads the rule sets (tests/data/rules-s1.txt, rules-s2.txt) as OpenFlow rules into a bridge, and its
# slow path installs the megaflows from the warm-up's upcalls; Open vSwitch gets the same files (OVS_RULES_DIR
# overrides where they are read from).
#
# With BASELINE_DIR pointing to another built checkout of FastPath (e.g. a `git worktree` of an older commit,
# with perf/FastPath.Benchmarks built in Release), that build is timed too, in the same rounds, as "baseline".
# With FASTPATH_TX=shared the null port's tx queue is used as a shared one, under its lock (the XPS path).
# With FASTPATH_EMC_WAYS=2 the EMC is two-way set-associative (as OVS's) instead of direct-mapped.
#
#   scripts/bench-compare.sh [ROUNDS] [SECONDS]
#   OVS_ANCHOR=/path/to/ovs-dpdk.sh scripts/bench-compare.sh 3 5
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECS=${2:-5}
CORE=${BENCH_CORE:-1}
OUT=out/bench
RULES_DIR=${OVS_RULES_DIR:-$PWD/tests/data}
mkdir -p "$OUT"
scripts/setup.sh >/dev/null
dotnet build perf/FastPath.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build src/FastPath.Cli -c Release --nologo -v quiet -clp:ErrorsOnly
BENCH="dotnet perf/FastPath.Benchmarks/bin/Release/net10.0/FastPath.Benchmarks.dll"
FPCTL="dotnet src/FastPath.Cli/bin/Release/net10.0/fpctl.dll"
$FPCTL gen-pcap --flows 1 --out "$OUT/flows-1.pcap" >/dev/null
$FPCTL gen-pcap --flows 10000 --out "$OUT/flows-10k.pcap" >/dev/null

CSV=$OUT/results.csv
echo "switch,workload,round,mpps,cycles_per_pkt,line" > "$CSV"
field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; }
# timed NAME ROUND FLOWS RULES CMD...: runs one forwarding run, prints its line and adds it to the CSV.
timed() {
  local name=$1 round=$2 flows=$3 rules=$4 line; shift 4
  line=$("$@")
  echo "round $round $name $flows-flow/$rules: $line"
  echo "$name,$flows/$rules,$round,$(field mpps "$line"),$(field cycles_per_pkt "$line"),\"$line\"" >> "$CSV"
}

for r in $(seq 1 "$ROUNDS"); do
  if [ -n "${OVS_ANCHOR:-}" ]; then
    bash "$OVS_ANCHOR" start >/dev/null 2>&1
    for w in "1 s1 flows-1.pcap" "10000 s2 flows-10k.pcap"; do
      set -- $w
      timed ovs "$r" "$1" "$2" bash "$OVS_ANCHOR" run "$PWD/$OUT/$3" "$RULES_DIR/rules-$2.txt" "$SECS"
    done
    bash "$OVS_ANCHOR" stop >/dev/null 2>&1; sleep 2
  fi
  for w in "1 s1" "10000 s2"; do
    set -- $w
    if [ -n "${BASELINE_DIR:-}" ]; then
      timed baseline "$r" "$1" "$2" dotnet "$BASELINE_DIR/perf/FastPath.Benchmarks/bin/Release/net10.0/FastPath.Benchmarks.dll" \
        forward "$1" "$2" "$SECS" "$CORE"
    fi
    timed fastpath "$r" "$1" "$2" $BENCH forward "$1" "$2" "$SECS" "$CORE" ${FASTPATH_EMC_WAYS:-1} ${FASTPATH_TX:+tx=$FASTPATH_TX}
  done
done

python3 - "$CSV" "$OUT/forwarding.svg" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
med = {}
for sw in ("fastpath", "baseline", "ovs"):
    for wl in ("1/s1", "10000/s2"):
        v = [float(r["mpps"]) for r in rows if r["switch"] == sw and r["workload"] == wl]
        if v:
            med[(sw, wl)] = statistics.median(v)
for wl in ("1/s1", "10000/s2"):
    f, o, b = med.get(("fastpath", wl)), med.get(("ovs", wl)), med.get(("baseline", wl))
    ratio = f"  ratio {f / o:.2f}x" if f and o else ""
    base = f"   baseline {b:6.2f} Mpps" + (f" (ratio {b / o:.2f}x)" if o else "") if b else ""
    print(f"median {wl:9}: fastpath {f or 0:6.2f} Mpps" + (f"   ovs {o:6.2f} Mpps" if o else "") + ratio + base)
# A small grouped bar chart: Mpps per workload, FastPath beside the baseline build (if any) and OVS.
series = [(sw, c, n) for sw, c, n in (("fastpath", "#2b7bba", "FastPath"), ("baseline", "#9ecae1", "FastPath baseline"),
          ("ovs", "#999999", "Open vSwitch")) if any(k[0] == sw for k in med)]
W, H, top = 200 + 2 * 80 * len(series) + 60, 300, max(med.values()) * 1.15
bars, x = [], 60
for wl in ("1/s1", "10000/s2"):
    start = x
    for sw, color, _ in series:
        if (sw, wl) in med:
            h = med[(sw, wl)] / top * (H - 80)
            bars.append(f'<rect x="{x}" y="{H - 40 - h:.0f}" width="70" height="{h:.0f}" fill="{color}"/>'
                        f'<text x="{x + 35}" y="{H - 45 - h:.0f}" text-anchor="middle" font-size="12">{med[(sw, wl)]:.1f}</text>')
        x += 80
    label = {"1/s1": "1 flow, rules-s1", "10000/s2": "10k flows, rules-s2"}[wl]
    bars.append(f'<text x="{(start + x - 10) / 2:.0f}" y="{H - 20}" text-anchor="middle" font-size="12">{label}</text>')
    x += 60
legend = "".join(f'<rect x="{W - 150}" y="{40 + 18 * i}" width="12" height="12" fill="{c}"/>'
                 f'<text x="{W - 134}" y="{51 + 18 * i}" font-size="12">{n}</text>' for i, (_, c, n) in enumerate(series))
svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif">'
       f'<rect width="100%" height="100%" fill="white"/><text x="{W/2}" y="20" text-anchor="middle" font-size="14">'
       'Forwarding, one core, 64-byte UDP (Mpps, median)</text>' + "".join(bars) + legend + '</svg>')
open(sys.argv[2], "w").write(svg)
PY
echo "wrote $CSV and $OUT/forwarding.svg"
