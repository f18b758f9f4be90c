#!/usr/bin/env bash
# S4, flow setup: every packet is a new flow, measured as megaflows set up per second end to end (miss, upcall,
# xlate, megaflow install, execute), Open vSwitch (OVS-DPDK, one PMD) against fastpathd (one PMD), alternating
# window by window.
#
#   scripts/bench/s4-flow-setup.sh [--windows N] [--secs S] [--flows F] [--warmup W] [--no-build]
#
# Traffic: F 64-byte UDP/IPv4 frames, each from its own Ethernet source (02:00:i) and IPv4 source (10.0.0.0 + i),
# replayed from memory into port 1 (OVS: DPDK net_pcap infinite_rx; FastPath: a replay port); port 2 is a null
# port (net_null / null).
# Rules (the same file into both, ovs-ofctl add-flows):
#   priority=100,dl_src=00:00:00:00:00:01,actions=drop    never matches, but its subtable is looked up first
#   priority=10,in_port=1,actions=output:2
#   priority=0,actions=drop
# The first rule's subtable misses at its L2 stage, which un-wildcards the whole Ethernet source (Open vSwitch's
# staged lookup; L2 fields have no prefix trie), so each packet's megaflow is exact on dl_src: one megaflow per
# packet on both switches, from three rules. (A /32 rule per flow would do the same through the nw_src prefix
# trie, but fastpathd takes minutes to load 100k+ rules; see the report.) The script checks on each switch's
# first window that the megaflows are exact on dl_src and distinct.
# Each window starts the switch from nothing (private ovsdb-server, rules loaded before the ports exist), runs W
# seconds of warm-up (JIT, caches), deletes the warm-up's megaflows (dpctl/del-flows) and measures S seconds.
# The pcap is replayed in order, so every packet is a flow the datapath does not hold while the window's own
# megaflows stay below F (a flow from the warm-up that comes round again was deleted, and is set up anew); the
# script warns when they reach F.
# Same settings on both: pmd-cpu-mask=0x2, flow-limit 200000 (Open vSwitch's dynamic limit set to it at once),
# max-idle 10 s (no megaflow expires inside a window), EMC insertion default (1/100).
# The rate, flow_setups_per_s, is the datapath's megaflow count growth over the window (dpctl/show's flows):
# Open vSwitch's "miss with success upcall" counts exactly those, FastPath's counts misses queued to its slow path.
# Output: JSON Lines on stdout, one row per window per switch; progress on stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."
WINDOWS=3 SECS=3 FLOWS=250000 WARMUP=5 BUILD=1
while [ $# -gt 0 ]; do
  case $1 in
    --windows) WINDOWS=$2; shift 2 ;;
    --secs) SECS=$2; shift 2 ;;
    --flows) FLOWS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "usage: $0 [--windows N] [--secs S] [--flows F] [--warmup W] [--no-build]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "s4-flow-setup.sh: run as root (hugepages, DPDK)" >&2; exit 1; }
# shellcheck source=scripts/bench/switch-windows.sh
source scripts/bench/switch-windows.sh

WORK=/tmp/fpbench4-s4
mkdir -p "$WORK"
trap 'fpb_cleanup' EXIT
trap 'fpb_cleanup; exit 130' INT TERM
[ "$BUILD" = 0 ] || fpb_setup

PCAP=$WORK/macs-$FLOWS.pcap RULES=$WORK/rules.txt
if [ ! -s "$PCAP" ]; then
  log "writing $FLOWS flows to $PCAP"
  python3 - "$FLOWS" "$PCAP.tmp" <<'PY'
import struct, sys
n, out = int(sys.argv[1]), sys.argv[2]
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(n):
        ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 46, 1, 0, 64, 17, 0,
                                   ((10 << 24) | i).to_bytes(4, "big"), bytes([10, 200, 0, 1])))
        ip[10:12] = struct.pack("!H", csum(bytes(ip)))
        udp = struct.pack("!HHHH", 1000 + i % 50000, 5000, 26, 0) + bytes(18)   # checksum 0: none
        eth = bytes([2, 0, 0, 0, 0, 2, 2, 0]) + i.to_bytes(4, "big") + b"\x08\x00"
        frame = eth + bytes(ip) + udp
        f.write(struct.pack("<IIII", 0, 0, len(frame), len(frame)) + frame)
PY
  mv "$PCAP.tmp" "$PCAP"
fi
printf '%s\n' "priority=100,dl_src=00:00:00:00:00:01,actions=drop" "priority=10,in_port=1,actions=output:2" \
  "priority=0,actions=drop" >"$RULES"

# The first megaflows of the window's switch are exact on the Ethernet source and distinct: one per packet.
check_one_per_packet() {
  local sw=$1 dump total exact distinct
  dump=$(win_ctl dpctl/dump-flows | head -2000 || true)
  total=$(grep -c 'in_port(' <<<"$dump" || true)
  exact=$(grep -Ec 'eth\(src=02:00:[0-9a-f:]{11}(/ff:ff:ff:ff:ff:ff)?[,)]' <<<"$dump" || true)
  distinct=$(grep -oE 'eth\(src=02:00:[0-9a-f:]{11}' <<<"$dump" | sort -u | wc -l)
  log "$sw: of the first $total megaflows dumped, $exact match dl_src exactly, $distinct distinct sources"
  if [ "$total" -eq 0 ] || [ "$exact" != "$total" ] || [ "$distinct" != "$total" ]; then
    log "warning: $sw's megaflows are not one per packet: $(head -3 <<<"$dump")"
  fi
}

# One window of one switch; prints its row.
window() {
  local sw=$1 w=$2 before after flows
  log "S4 window $w/$WINDOWS: $sw (start, ${WARMUP}s warm-up, ${SECS}s measured)"
  win_begin "$([ "$sw" = ovs ] && echo ovs-dpdk || echo fastpath)"
  win_rules "$RULES"
  "fpb_${sw}_ports" "$PCAP"   # port 1 replays the pcap from memory, port 2 is a null port
  sleep "$WARMUP"
  # The warm-up's megaflows go, so the window's reads (which walk the megaflows) stay short; the pcap goes on
  # from where it is, so the window's packets are still flows the switch has not seen.
  win_ctl dpctl/del-flows >/dev/null
  win_ctl dpif-netdev/pmd-stats-clear >/dev/null
  before=$(win_counters)
  sleep "$SECS"
  after=$(win_counters)
  win_row S4 "$sw" "$w" "$SECS" 64 "$before" "$after"
  flows=$(awk '/^flows/ {print $2}' <<<"$after")
  [ "${flows:-0}" -lt "$FLOWS" ] || log "warning: $sw holds $flows megaflows, the pcap's $FLOWS flows are used up: use more --flows"
  [ "$w" != 1 ] || check_one_per_packet "$sw"
  win_end
}

for w in $(seq 1 "$WINDOWS"); do
  window ovs "$w"
  window fastpath "$w"
done
log "S4 done"
