# shellcheck shell=bash
# Shared pieces of the benchmarks against Open vSwitch (scripts/bench-vs-ovs.sh and scripts/bench/*.sh): start
# and stop both switches, read their own counters, print one JSON Lines row per measured window. Source it.
#
# Open vSwitch: Debian's OVS-DPDK (ovs-vswitchd-dpdk) with its own ovsdb-server, run directory $FPB_OVS_DIR and
# DPDK --file-prefix $FPB_PREFIX (so another OVS-DPDK on the machine is left alone), one PMD on core $FPB_CORE.
# FastPath: fastpathd (Release) with its private ovsdb-server in $FPB_FP_DIR, pmd-cpu-mask on the same core.
# Both get bridge br0 (datapath_type=netdev), each in a network namespace of its own ($FPB_NS_OVS, $FPB_NS_FP): a
# userspace datapath makes kernel tap devices (ovs-netdev, br0) whose names would clash with another netdev
# datapath's on the machine; sockets are files, so the tools reach both from anywhere. Only one switch may forward at a time, as they share the core:
# FastPath's PMD polls even without ports, and each fastpathd bridge has PMDs of its own, so its bridge exists only
# while it is measured (fpb_fp_bridge/fpb_fp_unbridge; the process stays up and keeps its JIT-compiled code);
# OVS's PMD sleeps without rx queues, so OVS keeps its bridge and its ports come and go (fpb_ovs_ports/fpb_ovs_unports).
#
# Every process started here is recorded by PID and stopped by fpb_cleanup (call it from an EXIT trap).
# Progress and errors go to stderr; only rows go to stdout.
#
# The row (one per window, the contract with the other scenario scripts):
#   {"scenario":"S1","switch":"ovs"|"fastpath","window":1,"secs":5,"mpps":…,"gbps":…,"flow_setups_per_s":…|null,
#    "cycles_per_packet":…,"emc_hit_rate":…,"megaflow_hit_rate":…,"subtable_lookups_per_hit":…,"megaflows":…,
#    "upcalls":…,"gc_collections":…|null,"gc_allocated_bytes":…|null}
# and, beyond the contract: "simple_match_hit_rate" (OVS 3's cache for in_port-only megaflows, in front of its
# EMC; FastPath has none and says 0), "packets", "elapsed_s" (the window as measured, which the rate uses).

FPB_ROOT=${FPB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
FPB_CORE=${FPB_CORE:-1}
FPB_MASK=$(printf '0x%x' $((1 << FPB_CORE)))
FPB_PREFIX=${FPB_PREFIX:-fpbench}
FPB_OVS_DIR=${FPB_OVS_DIR:-/tmp/fpbench-ovs}
FPB_NS_OVS=${FPB_NS_OVS:-fpbench-ovs}
FPB_NS_FP=${FPB_NS_FP:-fpbench-fp}
FPB_FP_DIR=${FPB_FP_DIR:-/tmp/fpbench-fp}
# OVS-DPDK's socket memory (MiB): its shared mbuf pool (262144 mbufs of 2.2 KiB at MTU 1500) and a replayed pcap.
FPB_OVS_SOCKET_MEM=${FPB_OVS_SOCKET_MEM:-1024}
FPB_OVS_VSWITCHD=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
FPB_FASTPATHD=$FPB_ROOT/src/FastPath.Daemon/bin/Release/net10.0/fastpathd.dll
FPB_FPCTL=$FPB_ROOT/src/FastPath.Cli/bin/Release/net10.0/fpctl.dll
FPB_OVS_DB=unix:$FPB_OVS_DIR/run/db.sock
FPB_FP_PID=""

fpb_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fpb_die() { fpb_log "error: $*"; exit 1; }

# fpb_setup: Debian packages (scripts/setup.sh, idempotent), huge pages, fastpathd and fpctl built in Release.
# Done once per run: it exports FPB_SETUP_DONE=1, so scenario scripts started by bench-vs-ovs.sh skip it.
fpb_setup() {
  [ "$(id -u)" -eq 0 ] || fpb_die "run as root (huge pages, DPDK, pinned PMDs)"
  [ "${FPB_SETUP_DONE:-0}" = 1 ] && return 0
  "$FPB_ROOT"/scripts/setup.sh >&2 || fpb_die "scripts/setup.sh failed"
  [ -x "$FPB_OVS_VSWITCHD" ] || fpb_die "$FPB_OVS_VSWITCHD missing (openvswitch-switch-dpdk)"
  fpb_log "building fastpathd and fpctl (Release)"
  dotnet build "$FPB_ROOT"/src/FastPath.Daemon -c Release --nologo -v quiet -clp:ErrorsOnly >&2 || fpb_die "build of fastpathd failed"
  dotnet build "$FPB_ROOT"/src/FastPath.Cli -c Release --nologo -v quiet -clp:ErrorsOnly >&2 || fpb_die "build of fpctl failed"
  export FPB_SETUP_DONE=1
}

# fpb_hugepages MIB: makes sure MIB of free 2 MiB huge pages exist (raising vm.nr_hugepages by what is missing,
# so another user's pages are left to it) and that hugetlbfs is mounted.
fpb_hugepages() {
  local want=$(($1 / 2)) free total
  free=$(awk '/HugePages_Free/{print $2}' /proc/meminfo)
  total=$(cat /proc/sys/vm/nr_hugepages)
  if [ "$free" -lt "$want" ]; then
    echo $((total + want - free)) > /proc/sys/vm/nr_hugepages
    free=$(awk '/HugePages_Free/{print $2}' /proc/meminfo)
    [ "$free" -ge "$want" ] || fpb_die "only $free free huge pages of 2 MiB, $want needed"
  fi
  mountpoint -q /dev/hugepages || { mkdir -p /dev/hugepages; mount -t hugetlbfs none /dev/hugepages; }
}

# fpb_netns NAME: creates network namespace NAME unless it exists, with lo up.
fpb_netns() {
  ip netns list | grep -qw "^$1" || ip netns add "$1" || fpb_die "cannot create network namespace $1"
  ip -n "$1" link set lo up
}

# fpb_appctl DIR ARGS...: ovs-appctl against the ovs-vswitchd (or fastpathd) whose pidfile is DIR/ovs-vswitchd.pid
# (Debian's DPDK build names its socket after its program, ovs-vswitchd-dpdk.PID.ctl).
fpb_appctl() {
  local dir=$1 pid ctl; shift
  pid=$(cat "$dir/ovs-vswitchd.pid")
  for ctl in "$dir/ovs-vswitchd.$pid.ctl" "$dir/ovs-vswitchd-dpdk.$pid.ctl"; do
    [ -S "$ctl" ] && break
  done
  ovs-appctl --timeout=30 -t "$ctl" "$@"
}
fpb_ovs_appctl() { fpb_appctl "$FPB_OVS_DIR/run" "$@"; }
fpb_fp_appctl() { fpb_appctl "$FPB_FP_DIR" "$@"; }
fpb_ovs_vsctl() { ovs-vsctl --timeout=60 --db="$FPB_OVS_DB" "$@"; }
fpb_fp_vsctl() { ovs-vsctl --timeout=60 --db="unix:$FPB_FP_DIR/db.sock" "$@"; }
fpb_ovs_ofctl() { local cmd=$1; shift; ovs-ofctl "$cmd" "unix:$FPB_OVS_DIR/run/br0.mgmt" "$@"; }
fpb_fp_ofctl() { local cmd=$1; shift; ovs-ofctl "$cmd" "unix:$FPB_FP_DIR/br0.mgmt" "$@"; }
# The same, by the switch names the rows use ("ovs", "fastpath").
fpb_fastpath_appctl() { fpb_fp_appctl "$@"; }
fpb_fastpath_ofctl() { fpb_fp_ofctl "$@"; }

# fpb_ovs_start: ovsdb-server and ovs-vswitchd-dpdk in $FPB_OVS_DIR, one PMD on $FPB_CORE, bridge br0 without ports.
fpb_ovs_start() {
  local d=$FPB_OVS_DIR
  fpb_ovs_stop
  rm -rf "$d"; mkdir -p "$d"/run "$d"/log "$d"/db
  fpb_hugepages "$FPB_OVS_SOCKET_MEM"
  export OVS_RUNDIR=$d/run OVS_LOGDIR=$d/log OVS_DBDIR=$d/db
  ovsdb-tool create "$d"/db/conf.db /usr/share/openvswitch/vswitch.ovsschema
  ovsdb-server "$d"/db/conf.db --remote=punix:"$d"/run/db.sock --pidfile="$d"/run/ovsdb-server.pid --detach \
    --log-file="$d"/log/ovsdb.log -vconsole:off 2>/dev/null || fpb_die "ovsdb-server for OVS did not start"
  fpb_ovs_vsctl --no-wait init >/dev/null
  fpb_ovs_vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true \
    other_config:dpdk-extra="--no-pci --file-prefix=$FPB_PREFIX" other_config:dpdk-socket-mem="$FPB_OVS_SOCKET_MEM" \
    other_config:pmd-cpu-mask="$FPB_MASK" other_config:dpdk-lcore-mask=0x1
  fpb_log "starting ovs-vswitchd-dpdk ($("$FPB_OVS_VSWITCHD" --version | head -1 | awk '{print $NF}'), PMD on core $FPB_CORE, $d, netns $FPB_NS_OVS)"
  fpb_netns "$FPB_NS_OVS"
  ip netns exec "$FPB_NS_OVS" "$FPB_OVS_VSWITCHD" "$FPB_OVS_DB" --pidfile="$d"/run/ovs-vswitchd.pid --detach \
    --log-file="$d"/log/vswitchd.log -vconsole:off >/dev/null 2>&1 || fpb_die "ovs-vswitchd-dpdk did not start (see $d/log/vswitchd.log)"
  fpb_ovs_vsctl --may-exist add-br br0 -- set bridge br0 datapath_type=netdev
  unset OVS_RUNDIR OVS_LOGDIR OVS_DBDIR
}

# fpb_ovs_stop: stops this script's ovs-vswitchd-dpdk and ovsdb-server (by their pidfiles in $FPB_OVS_DIR).
fpb_ovs_stop() {
  local p pid
  for p in ovs-vswitchd ovsdb-server; do
    [ -f "$FPB_OVS_DIR/run/$p.pid" ] || continue
    pid=$(cat "$FPB_OVS_DIR/run/$p.pid")
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$FPB_OVS_DIR/run/$p.pid"
  done
}

# fpb_ovs_ports PCAP: port 1 replays PCAP forever from memory (DPDK net_pcap, infinite_rx), port 2 is net_null.
fpb_ovs_ports() {
  fpb_ovs_vsctl add-port br0 p1 -- set Interface p1 type=dpdk ofport_request=1 \
      options:dpdk-devargs="net_pcap0,rx_pcap=$1,tx_pcap=/dev/null,infinite_rx=1" \
    -- add-port br0 p2 -- set Interface p2 type=dpdk ofport_request=2 options:dpdk-devargs="net_null0,no-rx=1"
  local ofport
  ofport=$(fpb_ovs_vsctl get Interface p1 ofport)
  [ "$ofport" = 1 ] || fpb_die "OVS could not open $1 on net_pcap (ofport $ofport): $(fpb_ovs_vsctl get Interface p1 error)"
}
# fpb_ovs_unports: removes both ports (OVS's PMD then has no rx queue and sleeps).
fpb_ovs_unports() { fpb_ovs_vsctl --if-exists del-port br0 p1 -- --if-exists del-port br0 p2; }

# fpb_fp_start: fastpathd with a private ovsdb-server in $FPB_FP_DIR, one PMD on $FPB_CORE, bridge br0 without ports.
# The database is kept across restarts (fastpathd rebuilds the switch from it); flows are not, as in OVS.
fpb_fp_start() {
  local d=$FPB_FP_DIR
  [ -z "$FPB_FP_PID" ] || fpb_fp_stop
  mkdir -p "$d"
  fpb_netns "$FPB_NS_FP"
  # DOTNET_GCgen0size as the systemd unit sets it (src/FastPath.Daemon/systemd/fastpathd.service says why).
  OVS_RUNDIR=$d DOTNET_GCgen0size=${FPB_FP_GEN0SIZE:-0x4000000} ip netns exec "$FPB_NS_FP" dotnet "$FPB_FASTPATHD" >>"$d/fastpathd.log" 2>&1 &
  FPB_FP_PID=$!
  for _ in $(seq 1 300); do
    [ -S "$d/db.sock" ] && [ -f "$d/ovs-vswitchd.pid" ] && fpb_fp_vsctl --timeout=2 get Open_vSwitch . cur_cfg >/dev/null 2>&1 && break
    kill -0 "$FPB_FP_PID" 2>/dev/null || fpb_die "fastpathd exited (see $d/fastpathd.log)"
    sleep 0.1
  done
  fpb_fp_vsctl set Open_vSwitch . other_config:pmd-cpu-mask="$FPB_MASK"
  fpb_fp_bridge
}

# fpb_fp_bridge: bridge br0 (datapath_type=netdev) in the running fastpathd, with its PMD on $FPB_CORE.
fpb_fp_bridge() {
  fpb_fp_vsctl --may-exist add-br br0 -- set bridge br0 datapath_type=netdev
  for _ in $(seq 1 100); do [ -S "$FPB_FP_DIR/br0.mgmt" ] && break; sleep 0.1; done
  [ -S "$FPB_FP_DIR/br0.mgmt" ] || fpb_die "fastpathd did not open $FPB_FP_DIR/br0.mgmt"
  # The management socket can come up before the bridge's datapath and PMD do; the PMD commands need them.
  for _ in $(seq 1 100); do fpb_fp_appctl dpif-netdev/pmd-stats-show >/dev/null 2>&1 && return 0; sleep 0.1; done
  fpb_die "fastpathd's br0 has no datapath after 10 s"
}

# fpb_fp_unbridge: deletes br0. In fastpathd each bridge has its own datapath and PMDs, so this stops the PMD
# (which polls even without ports) while the process, its JIT-compiled code included, stays up.
fpb_fp_unbridge() {
  fpb_fp_vsctl --if-exists del-br br0
  for _ in $(seq 1 100); do [ -S "$FPB_FP_DIR/br0.mgmt" ] || break; sleep 0.1; done
}

# fpb_fp_stop: SIGTERM to fastpathd (it stops its PMDs and its private ovsdb-server), SIGKILL after 10 s.
fpb_fp_stop() {
  [ -n "$FPB_FP_PID" ] || return 0
  kill -TERM "$FPB_FP_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$FPB_FP_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$FPB_FP_PID" 2>/dev/null || true
  wait "$FPB_FP_PID" 2>/dev/null || true
  FPB_FP_PID=""
  # After a crash the private ovsdb-server is ours to stop.
  if [ -f "$FPB_FP_DIR/ovsdb-server.pid" ]; then
    kill "$(cat "$FPB_FP_DIR/ovsdb-server.pid")" 2>/dev/null || true
    rm -f "$FPB_FP_DIR/ovsdb-server.pid"
  fi
}

# fpb_fp_ports PCAP: port 1 replays PCAP forever from memory (type=replay), port 2 drops what it is given (type=null).
fpb_fp_ports() {
  fpb_fp_vsctl --may-exist add-port br0 p1 -- set Interface p1 type=replay options:file="$1" ofport_request=1 \
    -- --may-exist add-port br0 p2 -- set Interface p2 type=null ofport_request=2
  local ofport
  ofport=$(fpb_fp_vsctl get Interface p1 ofport)
  [ "$ofport" = 1 ] || fpb_die "FastPath could not open $1 (ofport $ofport): $(fpb_fp_vsctl get Interface p1 error)"
}
fpb_fp_unports() { fpb_fp_vsctl --if-exists del-port br0 p1 -- --if-exists del-port br0 p2; }

# fpb_rules SWITCH FILE: replaces br0's flow table with FILE (ovs-ofctl add-flows syntax), over OpenFlow 1.3 so
# that actions OpenFlow 1.0 lacks (push_vlan) can be used.
fpb_rules() {
  "fpb_$1_ofctl" del-flows -O OpenFlow13 || fpb_die "$1: ovs-ofctl del-flows failed"
  "fpb_$1_ofctl" add-flows -O OpenFlow13 "$2" || fpb_die "$1: ovs-ofctl add-flows $2 failed"
  # Megaflows left from an earlier table would be revalidated, not rebuilt; start from none, as a fresh switch.
  "fpb_$1_appctl" dpctl/del-flows >/dev/null || fpb_die "$1: dpctl/del-flows failed"
}

# fpb_gc SWITCH: "collections allocated-bytes" from fastpathd's memory/show; "null null" for Open vSwitch.
fpb_gc() {
  if [ "$1" = fastpath ]; then
    fpb_fp_appctl memory/show | sed -nE 's/.*gc-allocated-bytes:([0-9]+) gc-collections:([0-9]+).*/\2 \1/p'
  else
    echo "null null"
  fi
}

# fpb_stat TEXT LABEL [FIELD]: a number from the first PMD (core_id) block of pmd-stats-show.
fpb_stat() {
  awk -v l="$2" -v f="${3:-0}" '/core_id/{p=1} p && index($0, "  " l ":") == 1 {
      sub("^  " l ": *", ""); split($0, a, " "); print (f ? a[f] : a[1]); exit }' <<<"$1"
}

# fpb_clear SWITCH: zeroes the PMD counters and prints the time (seconds since the epoch) it returned.
fpb_clear() { "fpb_$1_appctl" dpif-netdev/pmd-stats-clear >/dev/null; date +%s.%N; }

# fpb_row SCENARIO SWITCH WINDOW SECS FRAME_BYTES T0 [FLOW_SETUPS_PER_S] [GC0 GA0 GC1 GA1]: reads the PMD counters
# (cleared at T0 by fpb_clear) and prints the window's row; the rate is packets over the time actually elapsed
# since T0. FRAME_BYTES is the frame on the wire without preamble and gap (64 for a 60-byte pcap frame plus FCS),
# for Gbit/s. GC0/GA0 and GC1/GA1 are fpb_gc's readings before and after the window (null for OVS).
fpb_row() {
  local scen=$1 sw=$2 win=$3 secs=$4 frame=$5 t0=$6 setups=${7:-null} gc0=${8:-null} ga0=${9:-null} gc1=${10:-null} ga1=${11:-null}
  local text t1 megaflows
  text=$("fpb_${sw}_appctl" dpif-netdev/pmd-stats-show)
  t1=$(date +%s.%N)
  megaflows=$("fpb_${sw}_appctl" dpctl/show | awk '/^ *flows:/{print $2; exit}')
  awk -v scen="$scen" -v sw="$sw" -v win="$win" -v secs="$secs" -v frame="$frame" -v t0="$t0" -v t1="$t1" \
      -v pk="$(fpb_stat "$text" 'packets received')" -v emc="$(fpb_stat "$text" 'emc hits')" \
      -v mf="$(fpb_stat "$text" 'megaflow hits')" -v sl="$(fpb_stat "$text" 'avg. subtable lookups per megaflow hit')" \
      -v up="$(fpb_stat "$text" 'miss with success upcall')" -v cpp="$(fpb_stat "$text" 'avg cycles per packet')" \
      -v smh="$(fpb_stat "$text" 'simple match hits')" \
      -v flows="${megaflows:-null}" -v setups="$setups" -v gc0="$gc0" -v gc1="$gc1" -v ga0="$ga0" -v ga1="$ga1" '
    function d(a, b) { return (a == "null" || b == "null" || a == "" || b == "") ? "null" : sprintf("%d", b - a) }
    function r(x) { return pk > 0 ? sprintf("%.4f", x / pk) : "null" }
    BEGIN {
      el = t1 - t0
      mpps = el > 0 ? pk / el / 1e6 : 0
      printf "{\"scenario\":\"%s\",\"switch\":\"%s\",\"window\":%d,\"secs\":%s,\"mpps\":%.4f,\"gbps\":%.4f,", scen, sw, win, secs, mpps, mpps * frame * 8 / 1000
      printf "\"flow_setups_per_s\":%s,\"cycles_per_packet\":%s,\"emc_hit_rate\":%s,\"megaflow_hit_rate\":%s,", setups, (cpp == "" ? "null" : cpp), r(emc), r(mf)
      printf "\"subtable_lookups_per_hit\":%s,\"megaflows\":%s,\"upcalls\":%d,\"gc_collections\":%s,\"gc_allocated_bytes\":%s,", (sl == "" ? "null" : sl), flows, up, d(gc0, gc1), d(ga0, ga1)
      printf "\"simple_match_hit_rate\":%s,\"packets\":%d,\"elapsed_s\":%.3f}\n", r(smh), pk, el
    }'
}

# fpb_window SCENARIO SWITCH WINDOW SECS FRAME_BYTES: one measured window on a switch that is forwarding and warmed
# up: GC reading, counters cleared, SECS of traffic, GC reading, counters read; prints the row. The GC readings
# bracket the window closely, so the bytes include only the two appctl requests' own handling besides the switch's.
fpb_window() {
  local gc0 ga0 gc1 ga1 t0
  read -r gc0 ga0 < <(fpb_gc "$2")
  t0=$(fpb_clear "$2")
  sleep "$4"
  read -r gc1 ga1 < <(fpb_gc "$2")
  fpb_row "$1" "$2" "$3" "$4" "$5" "$t0" null "$gc0" "$ga0" "$gc1" "$ga1"
}

# fpb_cleanup: stops everything this shell started (fastpathd by PID, OVS by its pidfiles). For an EXIT trap.
fpb_cleanup() {
  fpb_fp_stop || true
  fpb_ovs_stop || true
  ip netns del "$FPB_NS_OVS" 2>/dev/null || true
  ip netns del "$FPB_NS_FP" 2>/dev/null || true
}
