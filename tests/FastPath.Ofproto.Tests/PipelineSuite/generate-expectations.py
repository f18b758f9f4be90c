#!/usr/bin/env python3
"""Regenerates the expectations of the pipeline suite (tests/data/pipeline-suite/*.txt) from Open vSwitch.

Every case names OpenFlow rules, an input port and a packet; this script loads the rules into a private
ovs-vswitchd (Debian's openvswitch-switch, dummy datapath, dummy ports p1..p4 and the bridge's LOCAL port, each
capturing what it sends with options:tx_pcap), injects the packet twice with netdev-dummy/receive (the first
goes through the upcall, the second through the megaflow it installed) and writes back, under the case:

    hex HEX              the input packet (composed by Open vSwitch itself from the case's `packet` flow)
    out PORT HEX         each packet Open vSwitch sent, port by port (p1..p4, then LOCAL), in the order sent
    drop                 when it sent nothing

Only those lines are rewritten; names, rules and packets are the author's. Open vSwitch must send the same
packets for both injections, or the case is reported and the script fails. Usage:

    tests/FastPath.Ofproto.Tests/PipelineSuite/generate-expectations.py [FILE.txt ...]

(no argument: every file of tests/data/pipeline-suite except packets.txt). Needs no root; runs everything in a
temporary directory and stops its daemons on exit; never touches a system Open vSwitch.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "data", "pipeline-suite"))
PORTS = ["p1", "p2", "p3", "p4", "LOCAL"]
GENERATED = ("hex ", "out ", "drop")


class Ovs:
    """A private ovsdb-server and ovs-vswitchd with bridge br0 (p1..p4, LOCAL) and a composer bridge br1."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ovs-suite.", dir="/tmp")
        d = self.dir
        self.env = dict(os.environ, OVS_RUNDIR=d, OVS_LOGDIR=d, OVS_DBDIR=d, OVS_SYSCONFDIR=d)
        self.run("ovsdb-tool", "create", f"{d}/conf.db", "/usr/share/openvswitch/vswitch.ovsschema")
        self.run("ovsdb-server", "--detach", "--no-chdir", f"--pidfile={d}/ovsdb-server.pid",
                 f"--log-file={d}/ovsdb-server.log", f"--remote=punix:{d}/db.sock",
                 f"--unixctl={d}/ovsdb-server.ctl", f"{d}/conf.db")
        self.vsctl("--no-wait", "init")
        self.run("ovs-vswitchd", "--detach", "--no-chdir", f"--pidfile={d}/ovs-vswitchd.pid",
                 f"--log-file={d}/ovs-vswitchd.log", "--enable-dummy=override", "--disable-system",
                 f"--unixctl={d}/ovs-vswitchd.ctl", f"unix:{d}/db.sock")
        args = ["add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=dummy", "fail_mode=secure",
                "protocols=OpenFlow10,OpenFlow13,OpenFlow15",
                # FastPath's flow key holds two VLAN headers; Open vSwitch parses only one unless told.
                "--", "set", "Open_vSwitch", ".", "other_config:vlan-limit=0",
                "--", "set", "interface", "br0", f"options:tx_pcap={d}/LOCAL.pcap"]
        for i in range(1, 5):
            args += ["--", "add-port", "br0", f"p{i}", "--", "set", "interface", f"p{i}", "type=dummy",
                     f"ofport_request={i}", f"options:tx_pcap={d}/p{i}.pcap"]
        # The composer: whatever comes in on c8 leaves on c9, so c9's capture holds the packet Open vSwitch
        # composed from a flow.
        args += ["--", "add-br", "br1", "--", "set", "bridge", "br1", "datapath_type=dummy", "fail_mode=secure",
                 "--", "add-port", "br1", "c8", "--", "set", "interface", "c8", "type=dummy", "ofport_request=1",
                 "--", "add-port", "br1", "c9", "--", "set", "interface", "c9", "type=dummy", "ofport_request=2",
                 f"options:tx_pcap={d}/c9.pcap"]
        self.vsctl(*args)
        self.ofctl("add-flow", "br1", "in_port=1,actions=output:2")
        show = self.appctl("dpif/show")
        for i in range(1, 5):
            if f"p{i} {i}/{i}:" not in show:
                raise SystemExit(f"p{i} is not OpenFlow and datapath port {i}:\n{show}")

    def run(self, *args, check=True):
        r = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=30)
        if check and r.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} exited {r.returncode}: {r.stderr.strip()}")
        return r

    def vsctl(self, *args):
        return self.run("ovs-vsctl", f"--db=unix:{self.dir}/db.sock", "--timeout=30", *args).stdout

    def appctl(self, *args):
        return self.run("ovs-appctl", "-t", f"{self.dir}/ovs-vswitchd.ctl", *args).stdout

    def ofctl(self, command, bridge, *args, protocol=None, check=True):
        opts = ["-O", protocol] if protocol else []
        return self.run("ovs-ofctl", *opts, command, f"unix:{self.dir}/{bridge}.mgmt", *args, check=check)

    def lookups(self):
        m = re.search(r"lookups: hit:(\d+) missed:(\d+) lost:(\d+)", self.appctl("dpctl/show"))
        return sum(int(x) for x in m.groups())

    def receive(self, port, packet):
        """Injects packet (hex or a datapath flow) on port and waits until the datapath has looked it up."""
        before = self.lookups()
        self.appctl("netdev-dummy/receive", port, packet)
        deadline = time.monotonic() + 10
        while self.lookups() == before:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the packet injected on {port} was never processed")
            time.sleep(0.002)

    def captured(self, name):
        path = f"{self.dir}/{name}.pcap"
        return open(path, "rb").read() if os.path.exists(path) else b""

    def compose(self, flow):
        before = len(self.captured("c9"))
        self.receive("c8", flow)
        packets = pcap_records(self.captured("c9"), before)
        if len(packets) != 1:
            raise RuntimeError(f"composing {flow} gave {len(packets)} packets")
        return packets[0]

    def add_rule(self, rule):
        """Adds one rule so that Open vSwitch keeps what its text says. The OpenFlow 1.0 actions (mod_vlan_vid,
        mod_nw_src, strip_vlan...) go over OpenFlow 1.0 with Nicira extensions, which carries them as the text
        means them (mod_vlan_vid pushes a tag only on an untagged packet, mod_nw_src needs no `ip` in the match);
        everything else over OpenFlow 1.5, because 1.0 silently loses what it cannot encode (write_actions, the
        mask of a set_field)."""
        old_forms = re.search(r"\b(mod_[a-z_]+|strip_vlan)\b", rule)
        newer = re.search(r"write_actions|clear_actions|goto_table|write_metadata|set_field:[^,]*/", rule)
        err = ""
        for protocol in ((None, "OpenFlow15") if old_forms and not newer else ("OpenFlow15", None)):
            r = self.ofctl("add-flow", "br0", rule, protocol=protocol, check=False)
            if r.returncode == 0:
                if "normalization changed" in r.stderr:
                    raise RuntimeError(f"ovs-ofctl changed the match of `{rule}`: {r.stderr.strip()}")
                return
            err = r.stderr.strip()
        raise RuntimeError(f"ovs-ofctl rejected `{rule}`: {err}")

    def check_rules(self, rules):
        """Fails unless every rule is installed with actions when its text has some (nothing was lost on the wire)."""
        dumped = [l for l in self.ofctl("dump-flows", "br0", protocol="OpenFlow15").stdout.splitlines() if "actions=" in l]
        if len(dumped) != len(rules):
            raise RuntimeError(f"{len(rules)} rules added, {len(dumped)} installed:\n" + "\n".join(dumped))
        said = sum(1 for r in rules if re.search(r"actions=(drop)?$", r) is None)
        kept = sum(1 for l in dumped if not l.rstrip().endswith("actions=drop"))
        if said != kept:
            raise RuntimeError(f"rules lost their actions on the way in:\n" + "\n".join(rules) + "\ninstalled:\n" + "\n".join(dumped))

    def close(self):
        for p in ("ovs-vswitchd", "ovsdb-server"):
            pidfile = f"{self.dir}/{p}.pid"
            if os.path.exists(pidfile):
                try:
                    os.kill(int(open(pidfile).read().strip()), 15)
                except (ProcessLookupError, ValueError):
                    pass
        time.sleep(0.2)
        shutil.rmtree(self.dir, ignore_errors=True)


def pcap_records(data, start=0):
    """The packets of a pcap file's bytes from offset start (a record boundary, or 0 for the whole file)."""
    data = data[max(start, 24):]
    out = []
    while data:
        _, _, incl, _ = struct.unpack("<IIII", data[:16])
        out.append(data[16:16 + incl].hex())
        data = data[16 + incl:]
    return out


def load_packets():
    names = {}
    for line in open(os.path.join(DATA, "packets.txt")):
        line = line.strip()
        if line and not line.startswith("#"):
            name, flow = line.split(None, 1)
            names[name] = flow.strip()
    return names


def run_case(ovs, case, packets):
    """Returns (hex, {port: [hex...]}) for a case (dict with rules, in_port, packet or hex)."""
    if "packet" in case:
        flow = packets.get(case["packet"], case["packet"])
        hexpkt = flow[4:].lower() if flow.startswith("hex:") else ovs.compose(flow)
    else:
        hexpkt = case["hex"]
    ovs.ofctl("del-flows", "br0")
    ovs.appctl("dpctl/del-flows")
    for rule in case["rules"]:
        ovs.add_rule(rule)
    ovs.check_rules(case["rules"])
    runs = []
    for _ in range(2):
        before = {p: len(ovs.captured(p)) for p in PORTS}
        ovs.receive("p" + case["in_port"], hexpkt)
        sent = {}
        for p in PORTS:
            data = ovs.captured(p)
            new = pcap_records(data, before[p])
            if new:
                sent[p] = new
        runs.append(sent)
    if runs[0] != runs[1]:
        raise RuntimeError(f"case {case['name']}: Open vSwitch sent {runs[0]} for the first packet and {runs[1]} for the second")
    return hexpkt, runs[0]


def regenerate(ovs, path, packets):
    lines = [l.rstrip("\n") for l in open(path)]
    out = []
    case = None
    names = set()

    def finish():
        if case is None:
            return
        for key in ("in_port",):
            if not case.get(key):
                raise SystemExit(f"{path}: case {case['name']} has no {key}")
        if "packet" not in case and "hex" not in case:
            raise SystemExit(f"{path}: case {case['name']} has neither packet nor hex")
        hexpkt, sent = run_case(ovs, case, packets)
        if "packet" in case:
            out.append(f"hex {hexpkt}")
        else:
            out.append(f"hex {case['hex']}")
        if not sent:
            out.append("drop")
        for p in PORTS:
            for pkt in sent.get(p, []):
                out.append(f"out {p} {pkt}")

    for line in lines:
        s = line.strip()
        if s.startswith("case "):
            finish()
            name = s[5:].strip()
            if name in names:
                raise SystemExit(f"{path}: case {name} appears twice")
            names.add(name)
            case = {"name": name, "rules": []}
            out.append(line)
        elif s.startswith(GENERATED) or s == "drop":
            if case is not None and s.startswith("hex ") and "packet" not in case:
                case["hex"] = s[4:].strip()  # a hand-written packet: kept
            continue
        elif s.startswith("rule "):
            case["rules"].append(s[5:].strip())
            out.append(line)
        elif s.startswith("in_port "):
            case["in_port"] = s[8:].strip()
            out.append(line)
        elif s.startswith("packet "):
            case["packet"] = s[7:].strip()
            out.append(line)
        else:
            if s and not s.startswith("#"):
                raise SystemExit(f"{path}: cannot read `{s}`")
            if s == "" and case is not None:
                finish()
                case = None
            out.append(line)
    finish()
    with open(path, "w") as f:
        f.write("\n".join(out).rstrip("\n") + "\n")
    return len(names)


def main():
    files = sys.argv[1:] or sorted(
        os.path.join(DATA, f) for f in os.listdir(DATA) if f.endswith(".txt") and f != "packets.txt")
    packets = load_packets()
    ovs = Ovs()
    try:
        version = ovs.run("ovs-vswitchd", "--version").stdout.splitlines()[0]
        total = 0
        for path in files:
            n = regenerate(ovs, path, packets)
            total += n
            print(f"{os.path.relpath(path)}: {n} cases")
        print(f"{total} cases from {version}")
    finally:
        ovs.close()


if __name__ == "__main__":
    main()
