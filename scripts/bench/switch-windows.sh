# shellcheck shell=bash
# Sourced by s4-flow-setup.sh and afxdp.sh, on top of lib.sh: one measurement window of one switch at a time,
# each window on a freshly started switch. S4 needs that (every window sets flows up from an empty datapath and
# an Open vSwitch whose flow limit and ukeys start over), and AF_XDP runs Debian's plain ovs-vswitchd rather
# than OVS-DPDK; starting both switches per window keeps the two scenarios' procedure the same for both switches.
#
#   win_begin ovs-dpdk|ovs|fastpath       start the switch (lib.sh's fpb_ovs_start / fpb_fp_start), bridge br0
#   win_vsctl / win_ctl ARGS...           ovs-vsctl / ovs-appctl to it
#   win_rules FILE                        its flow table: FILE, nothing else (ovs-ofctl add-flows)
#   win_counters                          "key value" lines: time, PMD counters, datapath flows, GC counters
#   win_end                               stop it (only processes lib.sh started, by PID or pidfile)
#   win_row SCENARIO SWITCH WINDOW SECS FRAME_BYTES BEFORE AFTER   the window's JSON Lines row
#
# Settings both switches get: pmd-cpu-mask with core $FPB_CORE only (lib.sh), flow-limit 200000 and max-idle
# 10000 ms (Open vSwitch's defaults, written explicitly). Open vSwitch starts its dynamic flow limit at
# min(flow-limit, 10000) and raises it by 1000 per revalidation round; win_rules sets it to flow-limit at once
# (ovs-appctl upcall/set-flow-limit), so the limit is the same number on both switches from the first packet.
# FastPath's datapath holds 1M megaflows per PMD and has no dynamic limit.

# Own run directories, DPDK file prefix and namespaces, so another benchmark on the machine is left alone.
FPB_PREFIX=${FPB_PREFIX:-fpbench4}
FPB_OVS_DIR=${FPB_OVS_DIR:-/tmp/fpbench4-ovs}
FPB_FP_DIR=${FPB_FP_DIR:-/tmp/fpbench4-fp}
FPB_NS_OVS=${FPB_NS_OVS:-fpb4-ovs}
FPB_NS_FP=${FPB_NS_FP:-fpb4-fp}
# shellcheck source=scripts/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FLOW_LIMIT=${FLOW_LIMIT:-200000}
MAX_IDLE_MS=${MAX_IDLE_MS:-10000}
WIN_SW=""

log() { fpb_log "$@"; }
# lib.sh's FastPath functions by the switch name the rows use, as it does for appctl and ofctl.
fpb_fastpath_vsctl() { fpb_fp_vsctl "$@"; }
fpb_fastpath_ports() { fpb_fp_ports "$@"; }
win_vsctl() { "fpb_${WIN_SW}_vsctl" "$@"; }
win_ctl() { "fpb_${WIN_SW}_appctl" "$@"; }

win_begin() {
  case $1 in
    ovs-dpdk | ovs)
      WIN_SW=ovs
      if [ "$1" = ovs ]; then
        # Debian's ovs-vswitchd without DPDK (AF_XDP ports); it ignores dpdk-init, which lib.sh sets.
        FPB_OVS_VSWITCHD=/usr/lib/openvswitch-switch/ovs-vswitchd
      else
        FPB_OVS_VSWITCHD=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
      fi
      fpb_ovs_start >&2
      fpb_log "ovs: running $FPB_OVS_VSWITCHD"
      ;;
    fastpath)
      WIN_SW=fastpath
      rm -rf "$FPB_FP_DIR"
      fpb_fp_start >&2
      [ -S "$FPB_FP_DIR/br0.mgmt" ] || fpb_die "fastpathd: br0.mgmt never appeared (see $FPB_FP_DIR/fastpathd.log)"
      ;;
    *) fpb_die "win_begin: unknown switch $1" ;;
  esac
  win_vsctl set Open_vSwitch . other_config:flow-limit="$FLOW_LIMIT" other_config:max-idle="$MAX_IDLE_MS"
  win_vsctl set-fail-mode br0 secure
}

# win_rules FILE: the switch's flow table is FILE; no megaflow is left from before.
win_rules() {
  fpb_rules "$WIN_SW" "$1"
  [ "$WIN_SW" != ovs ] || win_ctl upcall/set-flow-limit "$FLOW_LIMIT" >/dev/null
}

win_end() {
  case $WIN_SW in
    ovs) fpb_ovs_stop ;;
    fastpath) fpb_fp_stop ;;
  esac
  WIN_SW=""
}

# win_counters: one "key value" per line. WIN_EXTRA, if set, names a function whose lines come right after the
# time stamp (counters read outside the switch, e.g. the far end's, as close to it as the PMD's).
win_counters() {
  echo "time $(date +%s.%N)"
  [ -z "${WIN_EXTRA:-}" ] || "$WIN_EXTRA"
  win_ctl dpif-netdev/pmd-stats-show | awk '
    /core_id/ { f = 1; next }
    /^[^ ]/ { f = 0 }
    !f { next }
    /packets received:/ { print "packets", $3 }
    /simple match hits:/ { print "simple", $4 }
    /emc hits:/ { print "emc", $3 }
    /megaflow hits:/ { print "megaflow", $3 }
    /avg. subtable lookups per megaflow hit:/ { print "subtable_lookups", $NF }
    /miss with success upcall:/ { print "upcalls", $5 }
    /miss with failed upcall:/ { print "failed_upcalls", $5 }
    /idle cycles:/ { print "idle_cycles", $3 }
    /processing cycles:/ { print "busy_cycles", $3 }'
  _win_thread_cpu
  win_ctl dpctl/show | awk '/^ *flows:/ { print "flows", $2 }'
  echo "tflows $(date +%s.%N)"
  win_ctl memory/show | tr ' ' '\n' | awk -F: '/^gc-collections:/ { print "gc_collections", $2 } /^gc-allocated-bytes:/ { print "gc_allocated_bytes", $2 }'
}

# _win_thread_cpu: CPU seconds the switch's threads have used, its PMD thread(s) ("pmd...") apart from the rest
# (Open vSwitch's PMD does its upcalls itself; FastPath's ofproto thread does them). On a machine shared with other
# work these say what the switch itself spent, where the rates also say what it was given.
_win_thread_cpu() {
  local pid
  if [ "$WIN_SW" = ovs ]; then pid=$(cat "$FPB_OVS_DIR/run/ovs-vswitchd.pid"); else pid=$FPB_FP_PID; fi
  [ -n "$pid" ] || return 0
  cat /proc/"$pid"/task/*/stat 2>/dev/null | awk -v hz="$(getconf CLK_TCK)" '{
      c = $0; sub(/^[0-9]+ \(/, "", c); name = substr(c, 1, index(c, ") ") - 1)   # comm may hold spaces
      rest = substr(c, index(c, ") ") + 2); split(rest, f, " ")
      t = (f[12] + f[13]) / hz                                                    # utime + stime
      if (name ~ /^pmd/) pmd += t; else other += t }
    END { print "cpu_pmd", pmd + 0; print "cpu_other", other + 0 }'
}

# win_row SCENARIO SWITCH WINDOW SECS FRAME_BYTES BEFORE AFTER: the window's row (lib.sh's fields) from two
# win_counters dumps, rates over the time between them. Extra "fwd N" and "offered N" lines (packets the far end
# received / the generator sent) make "mpps" the forwarded rate and add rx_mpps and offered_mpps. gbps counts
# FRAME_BYTES per packet (60 + 4 for the FCS, as lib.sh). flow_setups_per_s (S4 only) is the growth of the
# datapath's megaflow count (no flow expires inside a window, max-idle being longer) over the time between the two
# counts ("tflows": FastPath's memory/show waits for its busy ofproto thread, so the rate is not taken over it): Open vSwitch's "miss with
# success upcall" counts exactly those; FastPath's counts misses queued to its slow path, some of which its
# upcall rate limit then drops, so the growth is the measure common to both. simple_match_hit_rate is Open
# vSwitch 3.1's cache for in_port-only flows, ahead of its EMC (FastPath has none: 0).
# subtable_lookups_per_hit is the PMD's average since the counters were cleared at window start.
win_row() {
  python3 - "$@" <<'PY'
import json, sys
scen, sw, window, secs, frame, before, after = sys.argv[1:8]
def parse(t):
    d = {}
    for line in t.splitlines():
        k, _, v = line.partition(" ")
        if v:
            d[k] = float(v)
    return d
b, a = parse(before), parse(after)
dt = a["time"] - b["time"]
def delta(k):
    return a.get(k, 0) - b.get(k, 0)
pk = delta("packets")
fwd = delta("fwd") if "fwd" in a else pk
cyc = delta("idle_cycles") + delta("busy_cycles")
rate = lambda k: round(delta(k) / pk, 4) if pk else None
gc = lambda k: int(delta(k)) if k in a and k in b else None
row = {
    "scenario": scen, "switch": sw, "window": int(window), "secs": int(secs),
    "mpps": round(fwd / dt / 1e6, 4),
    "gbps": round(fwd * int(frame) * 8 / dt / 1e9, 4),
    "flow_setups_per_s": round(delta("flows") / delta("tflows"), 1) if scen == "S4" else None,
    "cycles_per_packet": round(cyc / pk, 1) if pk else None,
    "emc_hit_rate": rate("emc"),
    "megaflow_hit_rate": rate("megaflow"),
    "subtable_lookups_per_hit": a.get("subtable_lookups"),
    "megaflows": int(a.get("flows", 0)),
    "upcalls": int(delta("upcalls")),
    "gc_collections": gc("gc_collections"),
    "gc_allocated_bytes": gc("gc_allocated_bytes"),
    "simple_match_hit_rate": rate("simple"),
    "failed_upcalls": int(delta("failed_upcalls")),
    "packets": int(pk),
    "elapsed_s": round(dt, 3),
    "cpu_pmd_s": round(delta("cpu_pmd"), 2),
    "cpu_other_s": round(delta("cpu_other"), 2),
}
if "fwd" in a:
    row["rx_mpps"] = round(pk / dt / 1e6, 4)
    row["offered_mpps"] = round(delta("offered") / dt / 1e6, 4)
print(json.dumps(row), flush=True)
PY
}
