# Command lines from Open vSwitch's tutorials and documentation, as a user types them against fastpathd
# (FastpathdTutorialTests runs each line with bash, OVS_RUNDIR pointing at the daemon; every line must exit 0).
# $BR and $BR2 are bridge names unique to the run, $FLOWS an add-flows file, $CTRL a TCP port nobody listens on.
# Ports are type=null (FastPath's port that drops what it is sent): Debian's ovs-vswitchd has no type=dummy.
ovs-vsctl show
ovs-vsctl add-br $BR -- set bridge $BR datapath_type=netdev
ovs-vsctl br-exists $BR
ovs-vsctl list-br | grep -x $BR
ovs-vsctl add-port $BR p1 -- set interface p1 type=null ofport_request=1
ovs-vsctl add-port $BR p2 -- set interface p2 type=null ofport_request=2
ovs-vsctl add-port $BR p3 tag=10 -- set interface p3 type=null ofport_request=3
ovs-vsctl add-port $BR p4 trunks=10,20 -- set interface p4 type=null ofport_request=4
ovs-vsctl list-ports $BR
ovs-vsctl list-ifaces $BR
ovs-vsctl port-to-br p1 | grep -x $BR
ovs-vsctl iface-to-br p2 | grep -x $BR
test "$(ovs-vsctl get interface p1 ofport)" = 1
test "$(ovs-vsctl get interface p4 ofport)" = 4
ovs-vsctl get bridge $BR datapath_id
ovs-vsctl list interface p1
ovs-vsctl list port p3
ovs-vsctl list bridge $BR
ovs-vsctl --columns=name,ofport list interface
ovs-vsctl find interface type=null
ovs-vsctl set port p1 tag=20
ovs-vsctl remove port p1 tag 20
ovs-vsctl set port p2 vlan_mode=native-untagged tag=10
ovs-vsctl clear port p2 vlan_mode tag
ovs-vsctl set interface p1 mtu_request=9000
ovs-vsctl set open_vswitch . other_config:pmd-rxq-assign=roundrobin other_config:emc-insert-inv-prob=100
ovs-vsctl set-fail-mode $BR secure
test "$(ovs-vsctl get-fail-mode $BR)" = secure
ovs-vsctl del-fail-mode $BR
ovs-vsctl set-controller $BR tcp:127.0.0.1:$CTRL
ovs-vsctl get-controller $BR | grep -x tcp:127.0.0.1:$CTRL
ovs-vsctl list controller
ovs-vsctl del-controller $BR
ovs-vsctl set bridge $BR protocols=OpenFlow10,OpenFlow13
ovs-ofctl show $BR
ovs-ofctl -O OpenFlow13 show $BR
ovs-ofctl add-flow $BR "priority=100,in_port=1,actions=output:2"
ovs-ofctl add-flows $BR $FLOWS
ovs-ofctl dump-flows $BR | grep "in_port=1 actions=output:2"
ovs-ofctl -O OpenFlow13 dump-flows $BR
ovs-ofctl dump-ports $BR
ovs-ofctl dump-ports $BR 1
ovs-ofctl dump-ports-desc $BR
ovs-ofctl dump-tables $BR
ovs-ofctl -O OpenFlow13 dump-table-features $BR
ovs-ofctl dump-aggregate $BR
ovs-ofctl dump-desc $BR
ovs-ofctl -O OpenFlow13 add-group $BR group_id=1,type=all,bucket=output:1,bucket=output:2
ovs-ofctl -O OpenFlow13 dump-groups $BR
ovs-ofctl -O OpenFlow13 add-meter $BR meter=1,kbps,band=type=drop,rate=1000
ovs-ofctl -O OpenFlow13 dump-meters $BR
ovs-ofctl mod-port $BR p1 no-flood
ovs-ofctl mod-port $BR p1 flood
ovs-ofctl del-flows $BR in_port=1
ovs-ofctl del-flows $BR
ovs-ofctl add-flow $BR actions=normal
ovs-appctl ofproto/trace $BR in_port=3,dl_src=50:54:00:00:00:03,dl_dst=ff:ff:ff:ff:ff:ff -generate
ovs-appctl ofproto/trace $BR in_port=4,dl_vlan=10,dl_src=50:54:00:00:00:04,dl_dst=50:54:00:00:00:03 | grep "Datapath actions: pop_vlan,3"
ovs-appctl fdb/show $BR | grep "    3    10  50:54:00:00:00:03"
ovs-appctl fdb/stats-show $BR
ovs-appctl fdb/flush $BR
ovs-appctl fdb/flush
ovs-appctl dpif/show | grep "p4 4/4: (null)"
ovs-appctl dpif/dump-flows $BR
ovs-appctl dpctl/show
ovs-appctl dpctl/show -s
ovs-appctl dpctl/dump-flows
ovs-appctl dpctl/dump-dps
ovs-appctl dpif-netdev/pmd-stats-show
ovs-appctl dpif-netdev/pmd-stats-clear
ovs-appctl dpif-netdev/pmd-rxq-show
ovs-appctl dpif-netdev/pmd-rxq-rebalance
ovs-appctl upcall/show | grep "ufid enabled : true"
ovs-appctl coverage/show | grep "events never hit"
ovs-appctl memory/show
ovs-appctl bridge/dump-flows $BR
ovs-appctl ofproto/list | grep -x $BR
ovs-appctl bond/list
ovs-appctl lacp/show
ovs-appctl stp/show
ovs-appctl vlog/list
ovs-appctl vlog/set bridge:console:dbg
ovs-appctl vlog/set ANY:file:info
ovs-appctl list-commands
ovs-appctl version
ovs-vsctl add-br $BR2 -- set bridge $BR2 datapath_type=netdev
ovs-appctl dpif/show | grep "  $BR2:"
ovs-vsctl del-br $BR2
ovs-vsctl del-port $BR p4
ovs-vsctl --if-exists del-port $BR p9
ovs-vsctl del-br $BR
ovs-vsctl list-br
