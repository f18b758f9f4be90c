#!/usr/bin/env bash
# Regenerates OvsNormalVlanTable.cs: what Open vSwitch's NORMAL action does with a broadcast frame for every
# input port and VLAN header of a bridge whose ports cover the VLAN modes, as ovs-vswitchd's ofproto/trace
# reports it. Needs openvswitch-switch (ovs-vswitchd, ovsdb-server with --enable-dummy); runs a private
# ovsdb-server and ovs-vswitchd in a temporary directory with dummy ports only, and stops them on exit.
# The test reads the generated file; nothing here runs at build or test time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
D="$(mktemp -d /tmp/ovs-normal-vlan.XXXXXX)"
export OVS_RUNDIR=$D OVS_LOGDIR=$D OVS_DBDIR=$D OVS_SYSCONFDIR=$D
cleanup() {
    for p in ovs-vswitchd ovsdb-server; do
        [ -f "$D/$p.pid" ] && kill "$(cat "$D/$p.pid")" 2>/dev/null || true
    done
    rm -rf "$D"
}
trap cleanup EXIT
ovsdb-tool create "$D/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server --detach --no-chdir --pidfile="$D/ovsdb-server.pid" --log-file="$D/ovsdb-server.log" \
    --remote="punix:$D/db.sock" --unixctl="$D/ovsdb-server.ctl" "$D/conf.db"
V="ovs-vsctl --db=unix:$D/db.sock --timeout=10"
$V --no-wait init
ovs-vswitchd --detach --no-chdir --pidfile="$D/ovs-vswitchd.pid" --log-file="$D/ovs-vswitchd.log" \
    --enable-dummy=override --disable-system --unixctl="$D/ovs-vswitchd.ctl" "unix:$D/db.sock"
A="ovs-appctl -t $D/ovs-vswitchd.ctl"

# Keep in step with OvsNormalVlanTests.Ports.
$V add-br br0 -- set bridge br0 datapath_type=dummy fail-mode=standalone \
 -- add-port br0 p1 -- set interface p1 type=dummy ofport_request=1 \
 -- add-port br0 p2 tag=10 -- set interface p2 type=dummy ofport_request=2 \
 -- add-port br0 p3 tag=20 -- set interface p3 type=dummy ofport_request=3 \
 -- add-port br0 p4 trunks=10,20 -- set interface p4 type=dummy ofport_request=4 \
 -- add-port br0 p5 tag=10 vlan_mode=native-tagged -- set interface p5 type=dummy ofport_request=5 \
 -- add-port br0 p6 tag=10 vlan_mode=native-untagged -- set interface p6 type=dummy ofport_request=6 \
 -- add-port br0 p7 tag=0 -- set interface p7 type=dummy ofport_request=7 \
 -- add-port br0 p8 tag=20 trunks=10 vlan_mode=native-untagged -- set interface p8 type=dummy ofport_request=8 \
 -- add-port br0 p9 other_config:priority-tags=if-nonzero -- set interface p9 type=dummy ofport_request=9 \
 -- add-port br0 p10 tag=10 other_config:priority-tags=if-nonzero -- set interface p10 type=dummy ofport_request=10 \
 -- add-port br0 p11 other_config:priority-tags=always -- set interface p11 type=dummy ofport_request=11 \
 -- add-port br0 p12 tag=0 vlan_mode=native-untagged other_config:priority-tags=if-nonzero -- set interface p12 type=dummy ofport_request=12
# Datapath port numbers equal OpenFlow port numbers for p1-p12; the bridge's internal port is datapath port 100.
$A dpif/show | grep -q "br0 65534/100:"

replay() {
    python3 -c '
import re, sys
# Replays each datapath action list on the input header and prints every output port with the outer TCI the
# frame leaves with (0 = untagged).
for line in sys.stdin:
    port, tci, actions = line.split(" ", 2)
    tci = int(tci, 16)
    stack = [tci] if tci & 0x1000 else []
    outs = []
    for a in re.findall(r"push_vlan\([^)]*\)|pop_vlan|drop|\d+", actions):
        if a.startswith("push_vlan"):
            vid = int(re.search(r"vid=(\d+)", a).group(1)); pcp = int(re.search(r"pcp=(\d+)", a).group(1))
            stack.insert(0, 0x1000 | (pcp << 13) | vid)
        elif a == "pop_vlan":
            stack.pop(0)
        elif a != "drop":
            outs.append("%s:0x%04x" % (a, stack[0] if stack else 0))
    print("%s 0x%04x %s" % (port, tci, " ".join(outs) or "drop"))
'
}

{
    for port in $(seq 1 12); do
        for tci in 0x0000 0x1000 0xb000 0x100a 0xb00a 0x1014 0x101e; do
            actions=$($A ofproto/trace br0 "in_port=$port,dl_src=02:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,vlan_tci=$tci" |
                sed -n 's/^Datapath actions: //p')
            echo "$port $tci $actions"
        done
    done
} | replay > "$D/table.txt"

# Learning: every port sends from its own address 02:00:00:00:00:QQ with each header; whatever it admits is
# learned (-generate lets the trace have side effects). Then unicast from every port and header to every one
# of those addresses, without learning.
for q in $(seq 1 12); do
    for tci in 0x0000 0x100a 0x1014 0x101e; do
        $A ofproto/trace -generate br0 "in_port=$q,dl_src=02:00:00:00:00:$(printf %02x "$q"),dl_dst=ff:ff:ff:ff:ff:ff,vlan_tci=$tci" > /dev/null
    done
done
$A fdb/show br0 | tail -n +2 | awk '{print $1, $2, $3}' | sort -n > "$D/fdb.txt"
{
    for port in $(seq 1 12); do
        for tci in 0x0000 0xb000 0x100a 0x1014; do
            for q in $(seq 1 12); do
                actions=$($A ofproto/trace br0 "in_port=$port,dl_src=02:00:00:00:01:00,dl_dst=02:00:00:00:00:$(printf %02x "$q"),vlan_tci=$tci" |
                    sed -n 's/^Datapath actions: //p')
                echo "$port:$q $tci $actions"
            done
        done
    done
} | replay | sed 's/^\([0-9]*\):\([0-9]*\) \(0x[0-9a-f]*\)/\1 \3 \2/' > "$D/unicast.txt"

{
    echo "// Generated by generate-ovs-normal-vlan.sh from $(ovs-vswitchd --version | head -1): do not edit."
    echo "namespace FastPath.Ofproto.Tests.Normal;"
    echo ""
    echo "/// <summary>Open vSwitch's NORMAL flooding per input port and TCI: \"in_port in_tci out_port:out_tci ...\" (out_tci 0 = untagged).</summary>"
    echo "internal static class OvsNormalVlanTable"
    echo "{"
    echo "    /// <summary>One line per case.</summary>"
    echo "    public const string Text = \"\"\""
    sed 's/^/        /' "$D/table.txt"
    echo "        \"\"\";"
    echo ""
    echo "    /// <summary>The forwarding database after the learning phase: \"port vlan mac\".</summary>"
    echo "    public const string Fdb = \"\"\""
    sed 's/^/        /' "$D/fdb.txt"
    echo "        \"\"\";"
    echo ""
    echo "    /// <summary>Unicast to 02:00:00:00:00:QQ after the learning phase: \"in_port in_tci QQ out_port:out_tci ...\".</summary>"
    echo "    public const string Unicast = \"\"\""
    sed 's/^/        /' "$D/unicast.txt"
    echo "        \"\"\";"
    echo "}"
} > "$here/OvsNormalVlanTable.cs"
echo "wrote $here/OvsNormalVlanTable.cs ($(wc -l < "$D/table.txt") flood cases, $(wc -l < "$D/unicast.txt") unicast cases)"
