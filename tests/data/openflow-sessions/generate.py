#!/usr/bin/python3
"""Records real OpenFlow sessions between Debian's ovs-ofctl and Open vSwitch (the capture corpus of issue 14).

A private ovsdb-server and ovs-vswitchd run the dummy datapath (`--enable-dummy=override --disable-system`, no
root, never a system Open vSwitch) with bridge br0 (ports p1..p4 = OpenFlow ports 1..4, fixed datapath id and
MAC). A recording proxy listens on a unix socket, connects each client to br0.mgmt once the client has sent its
first bytes (so the tool's hello is always recorded first), relays both directions unchanged, and cuts each
direction into whole OpenFlow messages by the header's length field. Every ovs-ofctl command of the script below
runs once per protocol choice (plain, -O OpenFlow10, 13, 14, 15) against the proxy and leaves one file,
VERSION/NNN-NAME.txt:

    # ovs-ofctl -O OpenFlow13 add-flow {target} in_port=1,...     the command ({target}: the switch)
    # exit 0                                                       its exit status
    # stderr: ...                                                  what it printed on stderr, line by line
    # file flows.txt: LINE                                         the file a command read, line by line
    # connection 1                                                 one per OpenFlow connection the tool opened
    > 0104000800000001                                             tool to switch, one whole message a line
    < 0604000800000063                                             switch to tool

Commands that opened no connection (ovs-ofctl refused them locally) leave no session file; they are listed,
with their error, in VERSION/refused.txt. Every protocol choice starts from a freshly started Open vSwitch, so
xids and table counters repeat from run to run; what does not repeat is what the switch measures in time
(flow and meter durations in stats replies) and the interleaving of the two directions when both have a
message in flight (e.g. an error and the barrier request after it). Usage:

    tests/data/openflow-sessions/generate.py      # rewrites plain/ of10/ of13/ of14/ of15/ (about two minutes)

A connection that exchanged exactly the messages of one written before (xids aside) is written as
`# connection K same-as DIR/FILE.txt K2` with no message lines: ovs-ofctl opens connections of its own to look up
table names (OpenFlow 1.3+: table features, over a megabyte) and port names before most commands.
"""
import os
import re
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOLS = [("plain", None), ("of10", "OpenFlow10"), ("of13", "OpenFlow13"), ("of14", "OpenFlow14"),
             ("of15", "OpenFlow15")]
DPID = "0000aa55aa550001"
BRIDGE_MAC = "aa:55:aa:55:00:01"

# An Ethernet/IPv4/UDP frame from 00:00:00:00:00:01 to ...:02, 10.0.0.1:1234 -> 10.0.0.2:5678, 4 payload bytes.
UDP_FRAME = ("000000000002000000000001080045000020000000004011669a0a0000010a000002"
             "04d2162e000c0000deadbeef")

FLOWS_FILE = [
    "table=0,priority=200,in_port=1,dl_type=0x0800,nw_proto=17,actions=output:2",
    "table=0,priority=190,in_port=2,actions=output:1",
    "table=0,priority=180,arp,actions=NORMAL",
    "table=0,priority=170,ipv6,ipv6_dst=ff02::/16,actions=drop",
    "table=0,cookie=0x77,priority=160,dl_dst=ff:ff:ff:ff:ff:ff,actions=FLOOD",
]
REPLACE_FILE = [
    "table=0,priority=200,in_port=1,dl_type=0x0800,nw_proto=17,actions=output:3",
    "table=0,priority=190,in_port=2,actions=output:1",
    "table=0,priority=150,tcp,tp_dst=443,actions=output:4",
]


class Command:
    """One ovs-ofctl run: args with {target} (the switch) and {file} (a temporary file holding `file_lines`)."""

    def __init__(self, name, args, file_lines=None, background=None):
        self.name = name
        self.args = args
        self.file_lines = file_lines
        self.background = background        # for monitor: a function(ovs) that provokes what it shows


def script():
    """The command list of issue 14, in the order it runs (later commands see the state earlier ones left)."""
    c = []
    add = c.append
    for name in ["show", "dump-desc", "dump-tables", "dump-table-features", "dump-ports", "dump-ports-desc",
                 "dump-flows", "get-frags", "dump-group-features", "meter-features", "queue-stats"]:
        add(Command(name, [name, "{target}"]))
    add(Command("dump-ports-p1", ["dump-ports", "{target}", "1"]))
    add(Command("dump-table-desc", ["dump-table-desc", "{target}"]))
    add(Command("queue-get-config", ["queue-get-config", "{target}", "1"]))
    add(Command("queue-get-config-any", ["queue-get-config", "{target}"]))
    add(Command("probe", ["probe", "{target}"]))
    # Groups and meters first, so that flows may refer to them.
    groups = [
        ("all", "group_id=1,type=all,bucket=output:1,bucket=output:2"),
        ("select", "group_id=2,type=select,bucket=weight:10,actions=output:3,bucket=weight:20,actions=output:4"),
        ("ff", "group_id=3,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2"),
        ("indirect", "group_id=4,type=indirect,bucket=actions=mod_dl_src:00:00:00:00:00:aa,output:2"),
    ]
    for n, g in groups:
        add(Command("add-group-" + n, ["add-group", "{target}", g]))
    add(Command("add-group-exists", ["add-group", "{target}", "group_id=1,type=all,bucket=output:3"]))
    add(Command("mod-group", ["mod-group", "{target}", "group_id=4,type=indirect,bucket=actions=output:3"]))
    add(Command("dump-groups", ["dump-groups", "{target}"]))
    add(Command("dump-groups-one", ["dump-groups", "{target}", "2"]))
    add(Command("dump-group-stats", ["dump-group-stats", "{target}"]))
    add(Command("add-meter-drop", ["add-meter", "{target}", "meter=1,kbps,burst,stats,bands=type=drop,rate=1000,burst_size=100"]))
    add(Command("add-meter-pktps", ["add-meter", "{target}", "meter=2,pktps,bands=type=drop,rate=10"]))
    add(Command("add-meter-exists", ["add-meter", "{target}", "meter=1,kbps,bands=type=drop,rate=5"]))
    add(Command("mod-meter", ["mod-meter", "{target}", "meter=2,pktps,bands=type=drop,rate=20"]))
    add(Command("dump-meters", ["dump-meters", "{target}"]))
    add(Command("dump-meter-one", ["dump-meter", "{target}", "meter=1"]))
    add(Command("meter-stats", ["meter-stats", "{target}"]))
    flows = [
        ("seed", "in_port=1,ip,nw_src=192.168.1.1,actions=mod_nw_src:192.181.137.1,output:2"),
        ("vlan", "priority=100,dl_vlan=10,dl_vlan_pcp=3,actions=strip_vlan,output:3"),
        ("vlan-mod", "priority=99,in_port=3,dl_vlan=0xffff,actions=mod_vlan_vid:100,mod_vlan_pcp:5,output:1"),
        ("ipv6", "priority=90,ipv6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::/32,ipv6_label=0x12345,actions=output:4"),
        ("tcp-ports", "priority=80,tcp,tp_src=1024,tp_dst=80,actions=output:2"),
        ("tcp-masks", "priority=70,tcp,nw_dst=10.0.0.0/8,tp_dst=0x1000/0xf000,tcp_flags=+syn-ack,actions=output:3"),
        ("eth-masks", "priority=60,dl_src=00:11:22:33:44:55,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=drop"),
        ("set-field", "priority=50,ip,actions=set_field:10.1.1.1->ip_dst,set_field:00:00:00:00:00:02->eth_dst,output:1"),
        ("push-vlan", "priority=40,in_port=2,actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:1"),
        ("pop-vlan", "priority=30,dl_vlan=20,actions=pop_vlan,output:1"),
        ("goto-table", "table=0,priority=20,udp,actions=goto_table:1"),
        ("write-metadata", "table=1,priority=10,actions=write_metadata:0x1234/0xffff,goto_table:2"),
        ("meter", "table=2,priority=10,metadata=0x1234/0xffff,actions=meter:1,output:2"),
        ("group", "priority=15,ip,nw_dst=10.9.0.0/16,actions=group:1"),
        ("resubmit", "priority=12,in_port=3,actions=resubmit(,1),resubmit:2"),
        ("nx-actions", "priority=11,ip,actions=load:0x5->NXM_NX_REG0[0..15],move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],"
         "dec_ttl,note:01.02.03,set_tunnel:0x10,output:NXM_NX_REG1[0..15]"),
        ("registers", "priority=9,reg0=0x5,reg1=0x10/0xf0,actions=controller:100,output:in_port"),
        ("timeouts", "cookie=0x123,idle_timeout=60,hard_timeout=120,priority=8,send_flow_rem,arp,arp_tpa=10.0.0.1,actions=NORMAL"),
        ("icmp", "priority=7,icmp,icmp_type=8,icmp_code=0,actions=output:1"),
        ("tos", "priority=6,tcp6,tp_dst=22,nw_tos=0x10,actions=mod_nw_tos:0x20,output:1"),
        ("mpls-pop", "priority=5,mpls,mpls_label=100,actions=pop_mpls:0x0800,output:1"),
        ("mpls-push", "priority=4,ip,nw_src=10.3.0.0/16,actions=push_mpls:0x8847,set_field:10->mpls_label,output:2"),
        ("mod-tp", "priority=3,tcp,nw_src=10.4.0.0/16,actions=mod_tp_dst:8080,output:2"),
        ("set-queue", "priority=2,in_port=4,actions=set_queue:1,output:1"),
        ("frag", "priority=1,ip,nw_frag=yes,actions=drop"),
        ("clear-write", "table=3,priority=5,actions=clear_actions,write_actions(output:1)"),
        ("ct", "table=3,priority=4,ip,actions=ct(commit,zone=1),output:2"),
        ("controller-udp", "priority=250,in_port=4,udp,actions=controller"),
    ]
    for n, f in flows:
        add(Command("add-flow-" + n, ["add-flow", "{target}", f]))
    # Refused by the switch.
    add(Command("add-flow-bad-group", ["add-flow", "{target}", "priority=5,actions=group:99"]))
    add(Command("add-flow-bad-meter", ["add-flow", "{target}", "priority=5,actions=meter:99,output:1"]))
    add(Command("add-flow-bad-port", ["add-flow", "{target}", "priority=5,actions=output:4000"]))
    add(Command("add-flow-bad-table", ["add-flow", "{target}", "table=255,priority=5,actions=output:1"]))
    add(Command("add-flow-hidden-table", ["add-flow", "{target}", "table=254,priority=5,actions=output:1"]))
    add(Command("add-flow-goto-hidden-table", ["add-flow", "{target}", "priority=5,actions=goto_table:254"]))
    add(Command("add-flow-goto-backwards", ["add-flow", "{target}", "table=2,priority=5,actions=goto_table:1"]))
    add(Command("mod-group-unknown", ["mod-group", "{target}", "group_id=99,type=all,bucket=output:1"]))
    add(Command("add-group-chained-unknown", ["add-group", "{target}", "group_id=98,type=all,bucket=actions=group:97"]))
    add(Command("mod-meter-unknown", ["mod-meter", "{target}", "meter=99,pktps,bands=type=drop,rate=5"]))
    add(Command("add-meter-dscp-remark", ["add-meter", "{target}", "meter=3,pktps,bands=type=dscp_remark,rate=5,prec_level=1"]))
    add(Command("add-flows-file", ["add-flows", "{target}", "{file}"], FLOWS_FILE))
    add(Command("add-flows-file-bundle", ["--bundle", "add-flows", "{target}", "{file}"],
                ["priority=300,udp,tp_dst=4789,actions=output:3", "priority=301,udp,tp_dst=4790,actions=output:4"]))
    add(Command("mod-flows", ["mod-flows", "{target}", "in_port=1,ip,nw_src=192.168.1.1,actions=output:3"]))
    add(Command("mod-flows-strict", ["--strict", "mod-flows", "{target}", "priority=80,tcp,tp_src=1024,tp_dst=80,actions=output:4"]))
    add(Command("mod-flows-cookie", ["mod-flows", "{target}", "cookie=0x123/-1,actions=output:2"]))
    add(Command("dump-flows-all", ["dump-flows", "{target}"]))
    add(Command("dump-flows-ip", ["dump-flows", "{target}", "ip"]))
    add(Command("dump-flows-table1", ["dump-flows", "{target}", "table=1"]))
    add(Command("dump-flows-out-port", ["dump-flows", "{target}", "out_port=2"]))
    add(Command("dump-flows-cookie", ["dump-flows", "{target}", "cookie=0x123/-1"]))
    add(Command("dump-flows-strict", ["--strict", "dump-flows", "{target}", "tcp,tp_src=1024,tp_dst=80"]))
    add(Command("dump-aggregate", ["dump-aggregate", "{target}"]))
    add(Command("dump-aggregate-tcp", ["dump-aggregate", "{target}", "tcp"]))
    add(Command("dump-tables-after", ["dump-tables", "{target}"]))
    add(Command("packet-out", ["packet-out", "{target}", f"in_port=1 packet={UDP_FRAME} actions=output:2"]))
    add(Command("packet-out-table", ["packet-out", "{target}", f"in_port=4 packet={UDP_FRAME} actions=table"]))
    add(Command("packet-out-bad-port", ["packet-out", "{target}", f"in_port=1 packet={UDP_FRAME} actions=output:4000"]))
    add(Command("packet-out-bad-in-port", ["packet-out", "{target}", f"in_port=99 packet={UDP_FRAME} actions=output:1"]))
    add(Command("monitor-packet-out", ["monitor", "{target}", "65535"], background=provoke_packet_out))
    add(Command("monitor-receive", ["monitor", "{target}", "128", "invalid_ttl"], background=provoke_receive))
    add(Command("monitor-watch", ["monitor", "{target}", "watch:"], background=provoke_flow_change))
    add(Command("dump-ports-after", ["dump-ports", "{target}"]))
    add(Command("mod-port-down", ["mod-port", "{target}", "p1", "down"]))
    add(Command("mod-port-up", ["mod-port", "{target}", "p1", "up"]))
    add(Command("mod-port-no-flood", ["mod-port", "{target}", "2", "no-flood"]))
    add(Command("mod-port-flood", ["mod-port", "{target}", "2", "flood"]))
    add(Command("mod-port-no-packet-in", ["mod-port", "{target}", "p3", "no-packet-in"]))
    add(Command("dump-ports-desc-after", ["dump-ports-desc", "{target}"]))
    add(Command("set-frags-drop", ["set-frags", "{target}", "drop"]))
    add(Command("get-frags-drop", ["get-frags", "{target}"]))
    add(Command("set-frags-reassemble", ["set-frags", "{target}", "reassemble"]))
    add(Command("set-frags-normal", ["set-frags", "{target}", "normal"]))
    add(Command("mod-table", ["mod-table", "{target}", "1", "evict"]))
    add(Command("diff-flows-same", ["diff-flows", "{target}", "{file}"], None))   # file: the current dump, filled in at run time
    # With table= in the file, plain ovs-ofctl finds no flow format to dump with (it needs NXM+table_id, which
    # its dump protocols lack) and gives up after the hello: the second variant is the one that works.
    add(Command("replace-flows", ["replace-flows", "{target}", "{file}"], REPLACE_FILE))
    add(Command("replace-flows-no-table", ["replace-flows", "{target}", "{file}"],
                [l.replace("table=0,", "") for l in REPLACE_FILE]))
    add(Command("diff-flows", ["diff-flows", "{target}", "{file}"], FLOWS_FILE))
    add(Command("del-flows-strict", ["--strict", "del-flows", "{target}", "priority=190,in_port=2"]))
    add(Command("del-flows-out-port", ["del-flows", "{target}", "out_port=3"]))
    add(Command("del-flows-match", ["del-flows", "{target}", "tcp"]))
    add(Command("del-flows-all", ["del-flows", "{target}"]))
    add(Command("del-groups-one", ["del-groups", "{target}", "group_id=4"]))
    add(Command("del-groups", ["del-groups", "{target}"]))
    add(Command("del-meter", ["del-meter", "{target}", "meter=2"]))
    add(Command("del-meters", ["del-meters", "{target}"]))
    add(Command("dump-flows-empty", ["dump-flows", "{target}"]))
    return c


def provoke_packet_out(ovs, protocol):
    ovs.ofctl("packet-out", f"in_port=1 packet={UDP_FRAME} actions=controller", protocol="OpenFlow13")


def provoke_receive(ovs, protocol):
    # Matches add-flow-controller-udp (in_port=4,udp -> controller); the monitor sees a table-miss-free packet-in.
    ovs.appctl("netdev-dummy/receive", "p4", UDP_FRAME)


def provoke_flow_change(ovs, protocol):
    ovs.ofctl("add-flow", "priority=1234,in_port=3,tcp,actions=output:1", protocol="OpenFlow13")
    ovs.ofctl("del-flows", "in_port=3,tcp", protocol="OpenFlow13")


class Proxy:
    """A unix-socket relay to `upstream` that records, per connection, every OpenFlow message each way."""

    def __init__(self, path, upstream):
        self.path = path
        self.upstream = upstream
        self.lock = threading.Lock()
        self.connections = []       # [(id, [(dir, bytes)], closed_event)]
        self.sel = selectors.DefaultSelector()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(16)
        self.listener.setblocking(False)
        self.sel.register(self.listener, selectors.EVENT_READ, ("accept", None))
        self.stop = False
        self.failure = None
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        try:
            while not self.stop:
                for key, _ in self.sel.select(timeout=0.1):
                    kind, conn = key.data
                    if kind == "accept":
                        self.accept()
                    elif conn[{">": "client", "<": "server"}[kind]] is not None:
                        self.pump(conn, kind)
        except BaseException as e:
            self.failure = e
            raise

    def accept(self):
        client, _ = self.listener.accept()
        client.setblocking(False)
        conn = {"client": client, "server": None, "messages": [], "buf": {">": b"", "<": b""},
                "pending": b"", "closed": threading.Event()}
        with self.lock:
            conn["id"] = len(self.connections) + 1
            self.connections.append(conn)
        self.sel.register(client, selectors.EVENT_READ, (">", conn))

    def pump(self, conn, direction):
        src = conn["client"] if direction == ">" else conn["server"]
        try:
            data = src.recv(65536)
        except BlockingIOError:
            return      # drain_client took it already
        except (ConnectionResetError, BrokenPipeError):
            data = b""
        if not data:
            self.close(conn)
            return
        if direction == ">" and conn["server"] is None:
            # Connect upstream only now, so that the tool's hello is recorded before the switch's.
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.connect(self.upstream)
            conn["server"] = server
            self.sel.register(server, selectors.EVENT_READ, ("<", conn))
        if direction == "<":
            # Whatever the tool had sent before these bytes arrived is recorded first: the interleaving of
            # the two directions then depends on what the tool sends back to back (a flow-mod and its barrier),
            # not on which socket select() happened to report first.
            self.drain_client(conn)
            if conn["client"] is None:
                return
        dst = conn["server"] if direction == ">" else conn["client"]
        self.record(conn, direction, data)
        try:
            dst.setblocking(True)
            dst.sendall(data)
            dst.setblocking(False)
        except (ConnectionResetError, BrokenPipeError):
            self.close(conn)

    def drain_client(self, conn):
        # A moment's grace: what the tool writes back to back (a request, then its barrier) leaves it within
        # microseconds, but may reach the proxy just after the switch's answer to the first.
        select_one = selectors.DefaultSelector()
        select_one.register(conn["client"], selectors.EVENT_READ)
        select_one.select(timeout=0.005)
        select_one.close()
        while conn["client"] is not None:
            try:
                more = conn["client"].recv(65536)
            except BlockingIOError:
                return
            except (ConnectionResetError, BrokenPipeError):
                more = b""
            if not more:
                self.close(conn)
                return
            self.record(conn, ">", more)
            conn["server"].setblocking(True)
            conn["server"].sendall(more)
            conn["server"].setblocking(False)

    def record(self, conn, direction, data):
        buf = conn["buf"][direction] + data
        while len(buf) >= 8:
            length = int.from_bytes(buf[2:4], "big")
            if length < 8:
                raise RuntimeError(f"connection {conn['id']} {direction}: OpenFlow length {length} < 8")
            if len(buf) < length:
                break
            with self.lock:
                conn["messages"].append((direction, buf[:length]))
            buf = buf[length:]
        conn["buf"][direction] = buf

    def close(self, conn):
        for k in ("client", "server"):
            s = conn[k]
            if s is not None:
                try:
                    self.sel.unregister(s)
                except (KeyError, ValueError):
                    pass
                s.close()
                conn[k] = None
        for d, rest in conn["buf"].items():
            if rest:
                with self.lock:
                    conn["messages"].append(("!" + d, rest))   # a partial message at close: never expected
        conn["closed"].set()

    def count(self):
        with self.lock:
            return len(self.connections)

    def since(self, first, timeout=10):
        """The connections opened since `first`, once all are closed."""
        if self.failure is not None:
            raise RuntimeError(f"the recording proxy failed: {self.failure!r}")
        with self.lock:
            conns = self.connections[first:]
        for c in conns:
            if not c["closed"].wait(timeout):
                raise RuntimeError(f"proxy connection {c['id']} still open {timeout} s after the tool exited")
        return conns

    def shutdown(self):
        self.stop = True
        self.thread.join(5)
        self.listener.close()


class Ovs:
    """A private ovsdb-server and ovs-vswitchd (foreground children: stopping them reaches only these PIDs)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ovs-sess.", dir="/tmp")
        d = self.dir
        self.env = dict(os.environ, OVS_RUNDIR=d, OVS_LOGDIR=d, OVS_DBDIR=d, OVS_SYSCONFDIR=d)
        self.procs = []
        try:
            self.start()
        except BaseException:
            self.stop()
            raise

    def start(self):
        d = self.dir
        self.run("ovsdb-tool", "create", f"{d}/conf.db", "/usr/share/openvswitch/vswitch.ovsschema")
        self.daemon("ovsdb-server", f"{d}/conf.db", f"--remote=punix:{d}/db.sock")
        self.wait_file(f"{d}/db.sock")
        self.vsctl("--no-wait", "init")
        self.daemon("ovs-vswitchd", f"unix:{d}/db.sock", "--enable-dummy=override", "--disable-system")
        self.wait_file(f"{d}/ovs-vswitchd.ctl")
        args = ["add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=dummy", "fail_mode=secure",
                "protocols=OpenFlow10,OpenFlow11,OpenFlow12,OpenFlow13,OpenFlow14,OpenFlow15",
                f"other-config:datapath-id={DPID}", f"other-config:hwaddr={BRIDGE_MAC}"]
        self.vsctl(*args)
        # One port per transaction: the dummy datapath hands out MACs (aa:55:aa:55:00:NN) in creation order,
        # and ports added together are created in the order of their random row UUIDs.
        for i in range(1, 5):
            self.vsctl("add-port", "br0", f"p{i}", "--", "set", "interface", f"p{i}", "type=dummy",
                       f"ofport_request={i}")
        self.wait_file(f"{d}/br0.mgmt")
        show = self.appctl("dpif/show")
        for i in range(1, 5):
            if f"p{i} {i}/{i}:" not in show:
                raise RuntimeError(f"p{i} is not OpenFlow and datapath port {i}:\n{show}")

    def daemon(self, program, *args):
        d = self.dir
        p = subprocess.Popen([program, *args, f"--unixctl={d}/{program}.ctl", f"--pidfile={d}/{program}.pid",
                              f"--log-file={d}/{program}.log", "--no-chdir", "-vconsole:off"],
                             env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        self.procs.append(p)

    def wait_file(self, path, timeout=20):
        deadline = time.monotonic() + timeout
        while not os.path.exists(path):
            for p in self.procs:
                if p.poll() is not None:
                    raise RuntimeError(f"{p.args[0]} exited {p.returncode} before {path} appeared")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{path} did not appear within {timeout} s")
            time.sleep(0.01)

    def run(self, *args, check=True, timeout=30):
        r = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} exited {r.returncode}: {r.stderr.strip()}")
        return r

    def vsctl(self, *args):
        return self.run("ovs-vsctl", f"--db=unix:{self.dir}/db.sock", "--timeout=30", *args).stdout

    def appctl(self, *args):
        return self.run("ovs-appctl", "-t", f"{self.dir}/ovs-vswitchd.ctl", *args).stdout

    def ofctl(self, command, *args, protocol=None, check=True):
        """Runs ovs-ofctl directly on br0.mgmt (not recorded)."""
        opts = ["-O", protocol] if protocol else []
        return self.run("ovs-ofctl", *opts, command, f"unix:{self.dir}/br0.mgmt", *args, check=check)

    def stop(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(5)
        self.procs = []
        shutil.rmtree(self.dir, ignore_errors=True)


def run_command(ovs, proxy, protocol, cmd, workdir):
    target = f"unix:{proxy.path}"
    file_lines = cmd.file_lines
    if cmd.name == "diff-flows-same":
        dump = ovs.ofctl("dump-flows", "--no-stats", protocol=protocol or None, check=False).stdout
        file_lines = [l.strip() for l in dump.splitlines() if "actions=" in l]
    fpath = None
    if file_lines is not None:
        fpath = os.path.join(workdir, "flows.txt")
        with open(fpath, "w") as f:
            f.write("".join(l + "\n" for l in file_lines))
    args = [a.replace("{target}", target).replace("{file}", fpath or "") for a in cmd.args]
    argv = ["ovs-ofctl"] + (["-O", protocol] if protocol else []) + ["--timeout=10"] + args
    first = proxy.count()
    if cmd.background is None:
        r = subprocess.run(argv, env=ovs.env, capture_output=True, text=True, timeout=30)
        rc, err = r.returncode, r.stderr
    else:
        rc, err = run_monitor(ovs, proxy, protocol, cmd, argv, first, workdir)
    conns = proxy.since(first)
    shown = ["ovs-ofctl"] + (["-O", protocol] if protocol else []) + cmd.args
    if cmd.file_lines is not None or cmd.name == "diff-flows-same":
        shown = [a.replace("{file}", "flows.txt") for a in shown]
    header = ["# " + " ".join(quote(a) for a in shown), f"# exit {rc}"]
    # The log timestamp and the temporary socket path change from run to run; nothing else in stderr does.
    err = re.sub(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\|", "", err.replace(target, "{target}"), flags=re.M)
    header += ["# stderr: " + l for l in err.splitlines()]
    if file_lines is not None:
        header += ["# file flows.txt: " + l for l in file_lines]
    return header, conns, rc, err


def run_monitor(ovs, proxy, protocol, cmd, argv, first, workdir):
    """Starts `ovs-ofctl monitor`, waits for its connection to settle, provokes, then asks it to exit."""
    ctl = os.path.join(workdir, "monitor.ctl")
    argv = argv[:1] + [f"--unixctl={ctl}"] + argv[1:]
    with open(os.path.join(workdir, "monitor.out"), "w+") as out, \
            open(os.path.join(workdir, "monitor.err"), "w+") as errf:
        p = subprocess.Popen(argv, env=ovs.env, stdout=out, stderr=errf, stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 10
            while not os.path.exists(ctl) and p.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            if p.poll() is None:
                # A barrier through the monitor's own connection: its setup messages have all been answered.
                ovs.run("ovs-appctl", "-t", ctl, "ofctl/barrier", check=False)
                cmd.background(ovs, protocol)
                want = "PACKET_IN" if cmd.background is not provoke_flow_change else "DELETED"
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline:
                    out.seek(0)
                    errf.seek(0)
                    if want in out.read() + errf.read():   # monitor prints what it receives on stderr
                        break
                    time.sleep(0.02)
                ovs.run("ovs-appctl", "-t", ctl, "ofctl/barrier", check=False)
                ovs.run("ovs-appctl", "-t", ctl, "exit", check=False)
            rc = p.wait(10)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait(5)
        errf.seek(0)
        return rc, errf.read()


def quote(a):
    return a if a and all(ch.isalnum() or ch in "-_=,.:/{}[]+>" for ch in a) else "'" + a + "'"


def write_session(path, header, conns, seen):
    """Writes one session. A connection that exchanged exactly the messages of one already written for this
    run (xids aside) becomes a reference to it: ovs-ofctl looks up table names (OpenFlow 1.3+ table
    features: over a megabyte) and port names on connections of their own before most commands, and a copy of
    those in every file would make the corpus hundreds of megabytes of the same bytes."""
    lines = list(header)
    name = os.path.join(*path.split(os.sep)[-2:])   # DIR/FILE.txt
    for c in conns:
        k = c["id"] - conns[0]["id"] + 1
        key = tuple((d, m[:4] + b"\0\0\0\0" + m[8:]) for d, m in c["messages"])
        if key in seen:
            lines.append(f"# connection {k} same-as %s %d" % seen[key])
            continue
        seen[key] = (name, k)
        lines.append(f"# connection {k}")
        for d, m in c["messages"]:
            lines.append(f"{d} {m.hex()}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    seen = {}   # across protocols: plain --bundle negotiates OpenFlow 1.4 as -O OpenFlow14 does
    staging = tempfile.mkdtemp(prefix=".staging.", dir=HERE)
    try:
        for label, protocol in PROTOCOLS:
            record(label, protocol, os.path.join(staging, label), seen)
        # Only a complete run replaces the corpus.
        for label, _ in PROTOCOLS:
            shutil.rmtree(os.path.join(HERE, label), ignore_errors=True)
            os.rename(os.path.join(staging, label), os.path.join(HERE, label))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def record(label, protocol, outdir, seen):
    """Runs the whole script over `protocol` against a fresh Open vSwitch, writing the sessions into outdir."""
    os.makedirs(outdir)
    ovs = Ovs()
    proxy = None
    refused = []
    try:
        proxy = Proxy(os.path.join(ovs.dir, "proxy.sock"), os.path.join(ovs.dir, "br0.mgmt"))
        for n, cmd in enumerate(script(), 1):
            began = time.monotonic()
            header, conns, rc, err = run_command(ovs, proxy, protocol, cmd, ovs.dir)
            if time.monotonic() - began > 1:
                print(f"{label} {cmd.name}: {time.monotonic() - began:.1f} s", file=sys.stderr)
            if not conns or all(not c["messages"] for c in conns):
                refused.append(f"{cmd.name}: {header[0][2:]}: exit {rc}: {err.strip()}")
                continue
            write_session(os.path.join(outdir, f"{n:03d}-{cmd.name}.txt"), header, conns, seen)
    finally:
        if proxy:
            proxy.shutdown()
        ovs.stop()
    with open(os.path.join(outdir, "refused.txt"), "w") as f:
        f.write("# Commands ovs-ofctl refused before opening a connection (no session file).\n")
        f.write("".join(r + "\n" for r in refused))
    print(f"{label}: {len(script()) - len(refused)} sessions, {len(refused)} refused locally", file=sys.stderr)


if __name__ == "__main__":
    main()
