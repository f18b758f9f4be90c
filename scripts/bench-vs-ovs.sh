#!/usr/bin/env bash
# FastPath against Open vSwitch, both on the same single PMD core, on the same pcaps and OpenFlow rules; each
# switch's rate read from its own counters (dpif-netdev/pmd-stats-show), windows alternating between the two.
#
#   scripts/bench-vs-ovs.sh [--windows N] [--secs S] [--warmup S] [--scenarios S1,S2,S3,S5,S6[,S4,AFXDP]] [--quick]
#                           [--results DIR] [--no-setup]
#
# Open vSwitch is Debian's OVS-DPDK (ovs-vswitchd-dpdk): port 1 a DPDK net_pcap device replaying the pcap from
# memory forever (infinite_rx), port 2 net_null; FastPath is fastpathd with a replay port (from memory, forever)
# and a null port. The rules go into both with ovs-ofctl; megaflows come from each switch's own slow path.
# Scenarios (64-byte frames unless said):
#   S1  1 flow, tests/data/rules-s1.txt (in_port=1,actions=output:2)
#   S2  10k flows, tests/data/rules-s2.txt (the seed's rewrite and 50 rules of mixed masks)
#   S3  1M distinct flows through rules-s2 (the EMC thrashes, the megaflow cache works); OVS's net_pcap must
#       hold the whole pcap in its mbuf pool (at most 262144 mbufs), so the largest count that OVS accepts is used
#       for both switches and reported
#   S5  1 flow, action-heavy: tests/data/rules-s5.txt (VLAN push, two rewrites, dec_ttl, output)
#   S6  1 flow of 1518-byte frames, rules-s1 (Gbit/s as well as Mpps)
#   S4, AFXDP  scripts/bench/s4-flow-setup.sh and scripts/bench/afxdp.sh, when present (run after the others,
#       with the same --windows and --secs; their rows join the report)
# --quick: 1 window of 1 s, S1 only (a smoke test of the whole chain). --results: where the report goes
# (default perf/results). --no-setup: skip scripts/setup.sh and the builds (fastpathd and fpctl already built).
#
# Per window (after a warm-up following every switch-over) one JSON Lines row (see scripts/bench/lib.sh) goes to
# perf/results/<timestamp>.rows.jsonl; progress with an ETA goes to stderr. At the end the report (medians with
# min and max) is printed as Markdown and written to perf/results/<timestamp>.md, .json and .png (ratio chart).
# Needs root: huge pages, DPDK, pinned PMDs. Every switch it starts is stopped on exit, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

WINDOWS=5 SECS=5 WARMUP=3 SCENARIOS=S1,S2,S3,S5,S6,S4,AFXDP S3_FLOWS=1000000 RESULTS=perf/results SETUP=1
usage() { sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//' >&2; exit "${1:-2}"; }
while [ $# -gt 0 ]; do
  case $1 in
    --windows) WINDOWS=$2; shift 2 ;;
    --secs) SECS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --s3-flows) S3_FLOWS=$2; shift 2 ;;
    --quick) WINDOWS=1 SECS=1 WARMUP=2 SCENARIOS=S1; shift ;;
    --results) RESULTS=$2; shift 2 ;;
    --no-setup) SETUP=0; shift ;;
    -h|--help) usage 0 ;;
    *) echo "bench-vs-ovs.sh: unknown argument $1" >&2; usage ;;
  esac
done
for v in "$WINDOWS" "$SECS" "$WARMUP" "$S3_FLOWS"; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "bench-vs-ovs.sh: '$v' is not a positive whole number" >&2; exit 2; }
done
IFS=, read -r -a SCEN <<<"$SCENARIOS"
for s in "${SCEN[@]}"; do
  case $s in S1|S2|S3|S4|S5|S6|AFXDP) ;; *) echo "bench-vs-ovs.sh: unknown scenario $s (S1 S2 S3 S4 S5 S6 AFXDP)" >&2; exit 2 ;; esac
done

# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh
trap fpb_cleanup EXIT
trap 'exit 130' INT TERM

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
PCAPS=out/bench
mkdir -p "$RESULTS" "$PCAPS"
ROWS=$RESULTS/$STAMP.rows.jsonl
: > "$ROWS"

if [ "$SETUP" = 1 ]; then
  fpb_setup
else
  [ -f "$FPB_FASTPATHD" ] && [ -f "$FPB_FPCTL" ] || fpb_die "--no-setup: build fastpathd and fpctl (Release) first"
  export FPB_SETUP_DONE=1   # the scenario scripts skip their setup too
fi
FPCTL="dotnet $FPB_FPCTL"

# scenario NAME -> "FLOWS FRAME_BYTES RULES DESCRIPTION"
scenario() {
  case $1 in
    S1) echo "1 64 rules-s1.txt 1 flow, in_port=1,actions=output:2" ;;
    S2) echo "10000 64 rules-s2.txt 10k flows, seed rewrite + 50 mixed-mask rules" ;;
    S3) echo "$S3_FLOWS 64 rules-s2.txt FLOWS distinct flows through rules-s2 (EMC thrashes)" ;;
    S5) echo "1 64 rules-s5.txt 1 flow, push_vlan + 2 rewrites + dec_ttl + output" ;;
    S6) echo "1 1518 rules-s1.txt 1 flow of 1518-byte frames, rules-s1" ;;
  esac
}
pcap_for() { echo "$PWD/$PCAPS/flows-$1-$2.pcap"; }
make_pcap() {
  local p; p=$(pcap_for "$1" "$2")
  [ -s "$p" ] || $FPCTL gen-pcap --flows "$1" --frame-size "$2" --out "$p" >/dev/null || fpb_die "gen-pcap --flows $1 failed"
}

REPLAY=() SUBS=()
for s in "${SCEN[@]}"; do
  case $s in S4|AFXDP) SUBS+=("$s") ;; *) REPLAY+=("$s") ;; esac
done

# activate SWITCH PCAP RULES: the switch gets the rules, then its ports (so traffic starts into the full table).
activate() {
  if [ "$1" = fastpath ]; then fpb_fp_bridge; fi
  fpb_rules "$1" "$3"
  if [ "$1" = fastpath ]; then fpb_fp_ports "$2"; else fpb_ovs_ports "$2"; fi
}
# deactivate SWITCH: its traffic stops and its PMD leaves the core (OVS: ports removed, its PMD sleeps without rx
# queues; FastPath: bridge deleted, which stops its PMD, as it polls even without ports).
deactivate() {
  if [ "$1" = fastpath ]; then fpb_fp_unbridge; else fpb_ovs_unports; fi
}

# The description of a scenario as run (S3's flow count may be lowered to what OVS holds).
declare -A DESC
if [ ${#REPLAY[@]} -gt 0 ]; then
  fpb_ovs_start
  fpb_fp_start
  fpb_fp_unbridge
  TOTAL=$((${#REPLAY[@]} * WINDOWS * 2)) DONE=0 START=$(date +%s)
  for s in "${REPLAY[@]}"; do
    read -r flows frame rules desc <<<"$(scenario "$s")"
    if [ "$s" = S3 ]; then
      # OVS's net_pcap copies the whole pcap into mbufs of its port's pool (262144 mbufs at most, shared with the
      # packets in flight): try the requested count, then smaller ones, and use what OVS accepts for both switches.
      for try in "$flows" 250000 200000 131072 65536; do
        [ "$try" -le "$flows" ] || continue
        make_pcap "$try" "$frame"
        if (fpb_ovs_ports "$(pcap_for "$try" "$frame")") 2>/dev/null; then
          flows=$try; fpb_ovs_unports; break
        fi
        fpb_log "S3: OVS's net_pcap cannot hold $try packets in its mbuf pool; trying fewer"
        fpb_ovs_unports
      done
    fi
    DESC[$s]=${desc/FLOWS/$flows}
    make_pcap "$flows" "$frame"
    pcap=$(pcap_for "$flows" "$frame")
    # fastpathd's first run of a scenario's code paths is JIT-compiled in tiers; run it once before any window
    # (the process stays up between windows, as a switch in service does).
    fpb_log "$s: ${DESC[$s]}; priming fastpathd's JIT for $((WARMUP + 2)) s"
    activate fastpath "$pcap" "tests/data/$rules"
    sleep $((WARMUP + 2))
    deactivate fastpath
    for w in $(seq 1 "$WINDOWS"); do
      # ABBA: which switch goes first alternates, so a trend in the machine's load favours neither.
      if [ $((w % 2)) -eq 1 ]; then order="ovs fastpath"; else order="fastpath ovs"; fi
      for sw in $order; do
        activate "$sw" "$pcap" "tests/data/$rules"
        sleep "$WARMUP"
        row=$(fpb_window "$s" "$sw" "$w" "$SECS" "$frame")
        deactivate "$sw"
        echo "$row" >> "$ROWS"
        DONE=$((DONE + 1))
        now=$(date +%s)
        eta=$(( (now - START) * (TOTAL - DONE) / DONE ))
        mpps=$(sed -E 's/.*"mpps":([0-9.]+).*/\1/' <<<"$row")
        fpb_log "$s window $w/$WINDOWS $sw: $mpps Mpps ($DONE/$TOTAL windows, ETA $((eta / 60))m$((eta % 60))s)"
      done
    done
  done
  fpb_cleanup
fi

# S4 and AF_XDP come from their own scripts (same row format); each starts and stops its own switches.
for s in "${SUBS[@]}"; do
  case $s in S4) sub=scripts/bench/s4-flow-setup.sh ;; AFXDP) sub=scripts/bench/afxdp.sh ;; esac
  if [ -x "$sub" ] || [ -f "$sub" ]; then
    fpb_log "$s: running $sub --windows $WINDOWS --secs $SECS"
    if bash "$sub" --windows "$WINDOWS" --secs "$SECS" | grep '^{' >> "$ROWS"; then :; else fpb_log "$s: $sub failed; its rows so far are kept"; fi
  else
    fpb_log "$s: $sub is not in this checkout; skipped"
  fi
done

# The machine, for the report.
MACHINE=$RESULTS/$STAMP.machine.json
/usr/bin/python3 - "$MACHINE" "$STAMP" <<'PY'
import json, os, platform, re, subprocess, sys
def run(*a):
    try:
        return subprocess.run(a, capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        return ""
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
runtimes = [l.split()[1] for l in run("dotnet", "--list-runtimes").splitlines() if l.startswith("Microsoft.NETCore.App")]
ovs = run("/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk", "--version").splitlines()
dpdk = run("dpkg-query", "-W", "-f=${Version}", "librte-net-pcap23")
json.dump({
    "cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
    "dotnet_sdk": run("dotnet", "--version"), "dotnet_runtime": runtimes[-1] if runtimes else "",
    "ovs": ovs[0] if ovs else "", "dpdk": dpdk, "date": sys.argv[2],
    "os": next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME=")), ""),
}, open(sys.argv[1], "w"), indent=2)
PY

# Scenario descriptions as run, for the report.
DESCS=$RESULTS/$STAMP.desc.json
{
  echo "{"
  first=1
  for s in "${!DESC[@]}"; do
    [ $first -eq 1 ] || echo ","
    first=0
    printf '  "%s": "%s"' "$s" "${DESC[$s]}"
  done
  echo "}"
} > "$DESCS"

/usr/bin/python3 scripts/bench/report.py --rows "$ROWS" --machine "$MACHINE" --descriptions "$DESCS" --out "$RESULTS/$STAMP"
rm -f "$MACHINE" "$DESCS"
fpb_log "wrote $RESULTS/$STAMP.md, .json, .png and the rows ($ROWS)"
