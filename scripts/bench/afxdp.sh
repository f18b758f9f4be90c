#!/usr/bin/env bash
# AF_XDP on veth: Open vSwitch (Debian's ovs-vswitchd, datapath_type=netdev, type=afxdp ports) against fastpathd
# (afxdp ports), one PMD each on core 1, the same generator on the far end, alternating window by window.
#
#   scripts/bench/afxdp.sh [--windows N] [--secs S] [--warmup W] [--xdp-mode native|generic] [--no-build]
#
# Topology (created here, removed on exit even on failure):
#   namespace fpb4-gen:  eth0 --veth-- fpb4-a  (switch port 1, afxdp)
#   namespace fpb4-sink: eth0 --veth-- fpb4-b  (switch port 2, afxdp)
# Generator: netsniff-ng's trafgen in fpb4-gen, one process pinned to core 0, packet-mmap transmit as fast as it
# can of one 60-byte UDP/IPv4 frame (one flow; its destination MAC is nobody's, so fpb4-sink's stack drops it at
# once). Rule: in_port=1,actions=output:2 (plus priority=0 drop). Same xdp-mode on both (default native: veth
# runs XDP in its driver; copy mode, veth has no zero copy), n_rxq=1, pmd-cpu-mask=0x2.
# Measured per window: "mpps" is what the switch forwarded, counted as fpb4-sink's eth0 rx_packets (the far end,
# not the switch, does the counting); rx_mpps is what the switch's PMD received (its pmd-stats-show), offered_mpps
# what trafgen put on the wire (fpb4-gen's eth0 tx_packets). What the generator offers beyond the switch's rate
# is dropped at the XDP socket's rx ring, the same way for both.
# Output: JSON Lines on stdout, one row per window per switch; progress on stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."
WINDOWS=3 SECS=3 WARMUP=3 BUILD=1 MODE=native
while [ $# -gt 0 ]; do
  case $1 in
    --windows) WINDOWS=$2; shift 2 ;;
    --secs) SECS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --xdp-mode) MODE=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "usage: $0 [--windows N] [--secs S] [--warmup W] [--xdp-mode native|generic] [--no-build]" >&2; exit 2 ;;
  esac
done
case $MODE in native | generic) ;; *) echo "afxdp.sh: --xdp-mode is native or generic" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "afxdp.sh: run as root (namespaces, AF_XDP)" >&2; exit 1; }
# Both switches run (one at a time) in namespace fpb4-sw, which holds the switch-side veth ends.
FPB_NS_OVS=fpb4-sw FPB_NS_FP=fpb4-sw
# shellcheck source=scripts/bench/switch-windows.sh
source scripts/bench/switch-windows.sh

WORK=/tmp/fpbench4-afxdp
NS_SW=fpb4-sw NS_GEN=fpb4-gen NS_SINK=fpb4-sink VA=fpb4-a VB=fpb4-b
GEN_PID=""
mkdir -p "$WORK"

stop_gen() {
  if [ -n "$GEN_PID" ]; then
    kill -INT "$GEN_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$GEN_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$GEN_PID" 2>/dev/null || true
    wait "$GEN_PID" 2>/dev/null || true
    GEN_PID=""
  fi
}
teardown() {
  set +e
  stop_gen
  fpb_cleanup   # the switches, and namespace fpb4-sw with the veths' switch ends
  ip netns del "$NS_GEN" 2>/dev/null; ip netns del "$NS_SINK" 2>/dev/null
}
trap teardown EXIT
trap 'teardown; exit 130' INT TERM

[ "$BUILD" = 0 ] || fpb_setup
command -v trafgen >/dev/null || { echo "afxdp.sh: trafgen missing (scripts/setup.sh installs netsniff-ng)" >&2; exit 1; }

teardown 2>/dev/null
fpb_netns "$NS_SW"
for side in gen sink; do
  ns=fpb4-$side v=$([ $side = gen ] && echo "$VA" || echo "$VB")
  ip netns add "$ns"
  ip -n "$NS_SW" link add "$v" type veth peer name eth0 netns "$ns"
  ip -n "$NS_SW" link set "$v" up
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.eth0.disable_ipv6=1
done
ip -n "$NS_GEN" addr add 10.78.0.1/24 dev eth0
ip -n "$NS_SINK" addr add 10.78.0.2/24 dev eth0

# One UDP/IPv4 frame, 60 bytes, valid IPv4 checksum; destination MAC 02:00:00:00:00:99 belongs to nobody.
python3 - "$WORK/udp.cfg" "$(ip netns exec "$NS_GEN" cat /sys/class/net/eth0/address)" <<'PY'
import struct, sys
out, mac = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 46, 1, 0, 64, 17, 0, bytes([10, 78, 0, 1]), bytes([10, 200, 0, 1])))
s = sum(struct.unpack("!10H", bytes(ip)))
s = (s & 0xffff) + (s >> 16)
ip[10:12] = struct.pack("!H", ~((s & 0xffff) + (s >> 16)) & 0xffff)
frame = bytes([2, 0, 0, 0, 0, 0x99]) + mac + b"\x08\x00" + bytes(ip) + struct.pack("!HHHH", 1000, 5000, 26, 0) + bytes(18)
open(out, "w").write("{ " + ", ".join("0x%02x" % b for b in frame) + " }\n")
PY
printf '%s\n' "priority=10,in_port=1,actions=output:2" "priority=0,actions=drop" >"$WORK/rules.txt"

ns_counter() { ip netns exec "$1" cat "/sys/class/net/eth0/statistics/$2"; }
# The far ends' counters, read right after win_counters' time stamp.
far_counters() { echo "fwd $(ns_counter "$NS_SINK" rx_packets)"; echo "offered $(ns_counter "$NS_GEN" tx_packets)"; }
WIN_EXTRA=far_counters

# One window of one switch; prints its row.
window() {
  local sw=$1 w=$2 before after xdp
  log "AF_XDP window $w/$WINDOWS: $sw (xdp-mode=$MODE, ${WARMUP}s warm-up, ${SECS}s measured)"
  if ip -n "$NS_SW" link show "$VA" | grep -q ' xdp'; then fpb_die "$VA still has an XDP program from an earlier switch"; fi
  win_begin "$sw"
  win_rules "$WORK/rules.txt"
  win_vsctl add-port br0 "$VB" -- set Interface "$VB" type=afxdp ofport_request=2 options:n_rxq=1 options:xdp-mode="$MODE" \
    -- add-port br0 "$VA" -- set Interface "$VA" type=afxdp ofport_request=1 options:n_rxq=1 options:xdp-mode="$MODE"
  for v in "$VA" "$VB"; do
    [ "$(win_vsctl get Interface "$v" ofport)" -gt 0 ] || fpb_die "$sw: $v did not come up: $(win_vsctl get Interface "$v" error)"
  done
  xdp=$(ip -n "$NS_SW" -d link show "$VA" | grep -oE 'xdp(generic|drv)?' | head -1 || true)
  log "$sw: $VA carries ${xdp:-no XDP program}"
  ip netns exec "$NS_GEN" taskset -c 0 trafgen -o eth0 -i "$WORK/udp.cfg" -P 1 -q >"$WORK/trafgen.log" 2>&1 &
  GEN_PID=$!
  sleep "$WARMUP"
  kill -0 "$GEN_PID" 2>/dev/null || fpb_die "trafgen died: $(tail -3 "$WORK/trafgen.log")"
  win_ctl dpif-netdev/pmd-stats-clear >/dev/null
  before=$(win_counters)
  sleep "$SECS"
  after=$(win_counters)
  win_row AFXDP "$sw" "$w" "$SECS" 64 "$before" "$after"
  stop_gen
  win_end
}

for w in $(seq 1 "$WINDOWS"); do
  window ovs "$w"
  window fastpath "$w"
done
log "AF_XDP done"
