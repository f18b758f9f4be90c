# shellcheck shell=bash
# Sourced by s4-flow-setup.sh and afxdp.sh: one measurement window of one switch at a time. Each window starts
# the switch, builds its bridge, loads the OpenFlow rules, warms up, reads its own counters around the window
# and stops it again, so the two switches never share the PMD core and every window starts from the same state.
#
#   win_begin ovs-dpdk|ovs|fastpath DIR     start the switch on a private ovsdb-server in DIR (bridge br0, netdev)
#   win_ctl ARGS...                         ovs-appctl to the running switch
#   win_counters                            "key value" lines: PMD counters, datapath flows, GC counters
#   win_end                                 stop the switch (only processes this file started)
#   win_row SCENARIO SWITCH WINDOW SECS FRAME_BYTES BEFORE AFTER   one JSON Lines row from two win_counters dumps
#
# Settings both switches get: other_config:pmd-cpu-mask=0x2 (one PMD, core 1), flow-limit 200000, max-idle
# 10000 ms (Open vSwitch's defaults, written explicitly). Open vSwitch starts its dynamic flow limit at
# min(flow-limit, 10000) and raises it by 1000 per revalidation round; win_begin sets it to flow-limit at once
# (ovs-appctl upcall/set-flow-limit) so the limit is the same number on both switches from the first packet.
# FastPath's datapath holds 1M megaflows per PMD and has no dynamic limit.

WIN_KIND="" WIN_DIR="" WIN_PIDS=() WIN_CTL=""
FP_ROOT=${FP_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
FLOW_LIMIT=${FLOW_LIMIT:-200000}
MAX_IDLE_MS=${MAX_IDLE_MS:-10000}
DPDK_PREFIX=${DPDK_PREFIX:-fpbench4}

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ovs-vsctl against the window's private database.
win_vsctl() { ovs-vsctl --db="unix:$WIN_DIR/db.sock" --timeout=30 "$@"; }

win_ctl() { ovs-appctl -t "$WIN_CTL" --timeout=30 "$@"; }

_win_wait() { # _win_wait SECONDS CMD...: retries CMD every 0.2 s
  local deadline=$(($(date +%s) + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

_win_db() {
  mkdir -p "$WIN_DIR"
  [ -f "$WIN_DIR/conf.db" ] || ovsdb-tool create "$WIN_DIR/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  ovsdb-server "$WIN_DIR/conf.db" --remote="punix:$WIN_DIR/db.sock" --pidfile="$WIN_DIR/ovsdb-server.pid" \
    --unixctl="$WIN_DIR/ovsdb-server.ctl" --detach --no-chdir --log-file="$WIN_DIR/ovsdb-server.log"
  WIN_PIDS+=("$(cat "$WIN_DIR/ovsdb-server.pid")")
  win_vsctl --no-wait init
  win_vsctl --no-wait set Open_vSwitch . other_config:pmd-cpu-mask=0x2 \
    other_config:flow-limit="$FLOW_LIMIT" other_config:max-idle="$MAX_IDLE_MS"
}

win_begin() {
  WIN_KIND=$1 WIN_DIR=$2 WIN_PIDS=()
  rm -rf "$WIN_DIR"
  _win_db
  case $WIN_KIND in
    ovs-dpdk | ovs)
      local bin=/usr/lib/openvswitch-switch/ovs-vswitchd
      if [ "$WIN_KIND" = ovs-dpdk ]; then
        bin=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
        win_vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true other_config:dpdk-socket-mem=1024 \
          other_config:dpdk-lcore-mask=0x1 "other_config:dpdk-extra=--no-pci --file-prefix=$DPDK_PREFIX"
      fi
      OVS_RUNDIR=$WIN_DIR "$bin" "unix:$WIN_DIR/db.sock" --pidfile="$WIN_DIR/ovs-vswitchd.pid" --detach --no-chdir \
        --unixctl="$WIN_DIR/ovs-vswitchd.ctl" --log-file="$WIN_DIR/ovs-vswitchd.log" -vconsole:off
      WIN_PIDS+=("$(cat "$WIN_DIR/ovs-vswitchd.pid")")
      WIN_CTL=$WIN_DIR/ovs-vswitchd.ctl
      ;;
    fastpath)
      local dll=$FP_ROOT/src/FastPath.Daemon/bin/Release/net10.0/fastpathd.dll
      OVS_RUNDIR=$WIN_DIR DOTNET_PerfMapEnabled=${DOTNET_PerfMapEnabled:-0} \
        dotnet "$dll" --db="unix:$WIN_DIR/db.sock" >"$WIN_DIR/fastpathd.log" 2>&1 &
      local pid=$!
      WIN_PIDS+=("$pid")
      WIN_CTL=$WIN_DIR/ovs-vswitchd.$pid.ctl
      _win_wait 60 test -S "$WIN_CTL" || { log "fastpathd did not start: $(tail -5 "$WIN_DIR/fastpathd.log")"; return 1; }
      ;;
    *) log "win_begin: unknown switch $WIN_KIND"; return 1 ;;
  esac
  win_vsctl add-br br0 -- set bridge br0 datapath_type=netdev -- set-fail-mode br0 secure
  _win_wait 30 test -S "$WIN_DIR/br0.mgmt" || { log "$WIN_KIND: br0.mgmt never appeared"; return 1; }
}

# win_rules FILE: the same OpenFlow rules into the running switch (over its BRIDGE.mgmt, as ovs-ofctl finds it).
win_rules() {
  # (ovs-ofctl's own timing and coverage chatter about a large file stays out of the progress output)
  ovs-ofctl -vtimeval:console:off -vcoverage:console:off del-flows "unix:$WIN_DIR/br0.mgmt"
  ovs-ofctl -vtimeval:console:off -vcoverage:console:off add-flows "unix:$WIN_DIR/br0.mgmt" "$1"
  if [ "${WIN_KIND#ovs}" != "$WIN_KIND" ]; then
    win_ctl upcall/set-flow-limit "$FLOW_LIMIT" >/dev/null
  fi
}

win_end() {
  local p
  [ -n "$WIN_CTL" ] && [ -S "$WIN_CTL" ] && ovs-appctl -t "$WIN_CTL" --timeout=10 exit >/dev/null 2>&1
  # fastpathd stops its PMDs and detaches XDP on exit; whatever is still alive after 10 s is ended by its PID.
  for p in "${WIN_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${WIN_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  WIN_PIDS=() WIN_CTL="" WIN_KIND=""
}

# win_counters: one "key value" per line, from the PMD on core 1 (pmd-stats-show), dpctl/show and memory/show.
win_counters() {
  local t; t=$(date +%s.%N)
  echo "time $t"
  win_ctl dpif-netdev/pmd-stats-show | awk '
    /core_id/ { f = 1; next }
    /^[^ ]/ { f = 0 }
    !f { next }
    /packets received:/ { print "packets", $3 }
    /emc hits:/ { print "emc", $3 }
    /megaflow hits:/ { print "megaflow", $3 }
    /avg. subtable lookups per megaflow hit:/ { print "subtable_lookups", $NF }
    /miss with success upcall:/ { print "upcalls", $5 }
    /miss with failed upcall:/ { print "failed_upcalls", $5 }
    /idle cycles:/ { print "idle_cycles", $3 }
    /processing cycles:/ { print "busy_cycles", $3 }'
  win_ctl dpctl/show | awk '/flows:/ { print "flows", $2 }'
  win_ctl memory/show | tr ' ' '\n' | awk -F: '/^gc-collections:/ { print "gc_collections", $2 } /^gc-allocated-bytes:/ { print "gc_allocated_bytes", $2 }'
}

# win_row SCENARIO SWITCH WINDOW SECS FRAME_BYTES BEFORE AFTER: the window's JSON row. Extra "fwd N" and "offered N"
# lines (packets the far end received / the generator sent) make "mpps" the forwarded rate and add rx_mpps and
# offered_mpps. gbps counts FRAME_BYTES per packet (the frame without FCS). Rates are over the measured
# time between the two dumps. flow_setups_per_s counts megaflows installed in the window (datapath flow count
# growth; no flow expires within a window, max-idle being longer): Open vSwitch's "miss with success upcall" is
# exactly that, FastPath's counts misses queued to its slow path, so the growth is the common measure.
# subtable_lookups_per_hit is Open vSwitch's since-clear average; both PMDs' counters are cleared at window start.
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
# Where the far end counts what the switch forwarded (AF_XDP), that is the rate; else the PMD's received packets.
fwd = delta("fwd") if "fwd" in a else pk
cyc = delta("idle_cycles") + delta("busy_cycles")
hits = delta("emc") + delta("megaflow")
gc = lambda k: int(delta(k)) if k in a and k in b else None
row = {
    "scenario": scen, "switch": sw, "window": int(window), "secs": round(dt, 3),
    "mpps": round(fwd / dt / 1e6, 4),
    "gbps": round(fwd * int(frame) * 8 / dt / 1e9, 4),
    "flow_setups_per_s": round(delta("flows") / dt, 1) if scen == "S4" else None,
    "cycles_per_packet": round(cyc / pk, 1) if pk else None,
    "emc_hit_rate": round(delta("emc") / pk, 4) if pk else None,
    "megaflow_hit_rate": round(delta("megaflow") / pk, 4) if pk else None,
    "subtable_lookups_per_hit": a.get("subtable_lookups"),
    "megaflows": int(a.get("flows", 0)),
    "upcalls": int(delta("upcalls")),
    "failed_upcalls": int(delta("failed_upcalls")),
    "gc_collections": gc("gc_collections"),
    "gc_allocated_bytes": gc("gc_allocated_bytes"),
}
if "fwd" in a:
    row["rx_mpps"] = round(pk / dt / 1e6, 4)
    row["offered_mpps"] = round(delta("offered") / dt / 1e6, 4)
print(json.dumps(row), flush=True)
PY
}
