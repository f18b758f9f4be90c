#!/usr/bin/env bash
# The main job: FastPath in place of ovs-vswitchd, forwarding real packets between two network namespaces by
# an OpenFlow flow table, built and inspected with Open vSwitch's own tools.
#   1. two namespaces (fpdemo-a, fpdemo-b), each with a veth pair whose outer end becomes an afxdp port;
#   2. fastpathd with a private ovsdb-server in a temporary run directory (OVS_RUNDIR);
#   3. ovs-vsctl builds br0 (datapath_type=netdev) and its two afxdp ports;
#   4. ovs-ofctl installs the seed's mod_nw_src flow (addresses inside the namespaces) and the return path;
#   5. ping and a UDP stream from a to b; tcpdump in b shows the rewritten source address;
#   6. ovs-ofctl dump-flows, ovs-appctl dpctl/dump-flows and dpif-netdev/pmd-stats-show;
#   7. everything it created is removed, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "demo.sh: run as root (namespaces, AF_XDP)" >&2; exit 1; }
scripts/setup.sh
echo "demo: building fastpathd"
dotnet build src/FastPath.Daemon -c Release --nologo -v quiet -clp:ErrorsOnly

NS_A=fpdemo-a NS_B=fpdemo-b VA=fpdemo-va VB=fpdemo-vb
A_IP=10.77.0.1 B_IP=10.77.0.2 A_NAT=10.77.0.101
RUNDIR=$(mktemp -d /tmp/fastpath-demo.XXXXXX)
export OVS_RUNDIR=$RUNDIR
daemon_pid="" tcpdump_pid=""

cleanup() {
  set +e
  [ -n "$tcpdump_pid" ] && kill "$tcpdump_pid" 2>/dev/null && wait "$tcpdump_pid" 2>/dev/null
  if [ -n "$daemon_pid" ]; then
    kill -TERM "$daemon_pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$daemon_pid" 2>/dev/null
  fi
  # The private ovsdb-server is stopped by fastpathd's clean shutdown; after a crash it is ours to stop.
  [ -f "$RUNDIR/ovsdb-server.pid" ] && kill "$(cat "$RUNDIR/ovsdb-server.pid")" 2>/dev/null
  ip link del "$VA" 2>/dev/null; ip link del "$VB" 2>/dev/null
  ip netns del "$NS_A" 2>/dev/null; ip netns del "$NS_B" 2>/dev/null
  rm -rf "$RUNDIR"
}
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "two namespaces, each with a veth pair ($NS_A $A_IP, $NS_B $B_IP)"
cleanup_before() { ip netns del "$NS_A" 2>/dev/null || true; ip netns del "$NS_B" 2>/dev/null || true; ip link del "$VA" 2>/dev/null || true; ip link del "$VB" 2>/dev/null || true; }
cleanup_before
for side in A B; do
  ns_var=NS_$side v_var=V$side ip_var=${side}_IP
  ns=${!ns_var} v=${!v_var} addr=${!ip_var}
  ip netns add "$ns"
  ip link add "$v" type veth peer name eth0 netns "$ns"
  ip link set "$v" up
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
done
# b answers a's rewritten address at a's MAC: the return flow restores the original destination.
ip -n "$NS_B" neigh add "$A_NAT" lladdr "$(ip netns exec "$NS_A" cat /sys/class/net/eth0/address)" dev eth0

step "fastpathd with a private ovsdb-server (OVS_RUNDIR=$RUNDIR)"
dotnet src/FastPath.Daemon/bin/Release/net10.0/fastpathd.dll >"$RUNDIR/fastpathd.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 150); do [ -S "$RUNDIR/db.sock" ] && ovs-vsctl --timeout=2 get open_vswitch . cur_cfg >/dev/null 2>&1 && break; sleep 0.2; done
ovs-vsctl --timeout=30 set open_vswitch . external_ids:demo=started

step "the switch, built with ovs-vsctl"
show ovs-vsctl --timeout=30 add-br br0 -- set bridge br0 datapath_type=netdev
show ovs-vsctl --timeout=30 add-port br0 "$VA" -- set interface "$VA" type=afxdp ofport_request=1
show ovs-vsctl --timeout=30 add-port br0 "$VB" -- set interface "$VB" type=afxdp ofport_request=2
show ovs-vsctl show

step "the flow table, installed with ovs-ofctl"
show ovs-ofctl del-flows br0
show ovs-ofctl add-flow br0 "in_port=1,ip,nw_src=$A_IP,actions=mod_nw_src:$A_NAT,output:2"
show ovs-ofctl add-flow br0 "in_port=2,ip,nw_dst=$A_NAT,actions=mod_nw_dst:$A_IP,output:1"
show ovs-ofctl add-flow br0 "in_port=1,arp,actions=output:2"
show ovs-ofctl add-flow br0 "in_port=2,arp,actions=output:1"

step "tcpdump in $NS_B, ping and a UDP stream from $NS_A"
ip netns exec "$NS_B" timeout 30 tcpdump -l -n -i eth0 -c 12 "ip and (icmp or udp port 9000)" >"$RUNDIR/tcpdump.txt" 2>/dev/null &
tcpdump_pid=$!
sleep 1
show ip netns exec "$NS_A" ping -c 3 -W 2 "$B_IP"
ip netns exec "$NS_A" bash -c "for i in \$(seq 1 200); do echo \"FastPath demo datagram \$i\" >/dev/udp/$B_IP/9000; done" 2>/dev/null || true
echo "sent 200 UDP datagrams to $B_IP:9000"
wait "$tcpdump_pid" 2>/dev/null || true
tcpdump_pid=""
echo "what $NS_B received (the source is $A_NAT, not $A_IP):"
cat "$RUNDIR/tcpdump.txt"
grep -q "$A_NAT" "$RUNDIR/tcpdump.txt" || { echo "demo: the rewritten source never reached $NS_B" >&2; exit 1; }

step "what the switch says"
show ovs-ofctl dump-flows br0
show ovs-appctl dpctl/dump-flows
show ovs-appctl dpif-netdev/pmd-stats-show
