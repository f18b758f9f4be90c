#!/usr/bin/python3
"""Records the OpenFlow messages between ovs-ofctl and a private ovs-vswitchd (dummy datapath, bridge br0, ports
p1 and p2) for the switch-level commands, as test vectors for FastPath's codec.

Run as ./capture-switch.py OUTDIR. Each command's conversation goes to OUTDIR/<name>.txt: '#' comment lines, then one
message per line, '> HEX' sent by ovs-ofctl, '< HEX' sent by ovs-vswitchd ('>2 HEX': on ovs-ofctl's second
connection). Needs Debian's openvswitch-switch
binaries (ovsdb-server, ovs-vswitchd); touches nothing outside a temporary directory and stops what it started.
"""
import os, select, shutil, socket, struct, subprocess, sys, tempfile, time

COMMANDS = [
    # (file name, ovs-ofctl arguments after the protocol option; BR is replaced by the proxy target)
    ("show", ["show", "BR"]),
    ("dump-desc", ["dump-desc", "BR"]),
    ("dump-tables", ["dump-tables", "BR"]),
    ("dump-table-features", ["dump-table-features", "BR"]),
    ("dump-ports", ["dump-ports", "BR"]),
    ("dump-ports-desc", ["dump-ports-desc", "BR"]),
    ("mod-port-down", ["mod-port", "BR", "p1", "down"]),
    ("mod-port-no-flood", ["mod-port", "BR", "p2", "no-flood"]),
    ("get-frags", ["get-frags", "BR"]),
    ("set-frags", ["set-frags", "BR", "drop"]),
    ("queue-get-config", ["queue-get-config", "BR", "p1"]),
    ("queue-stats", ["queue-stats", "BR"]),
    ("dump-table-desc", ["dump-table-desc", "BR"]),
    ("add-flow", ["add-flow", "BR", "priority=5,actions=drop"]),
]
# Messages ovs-ofctl has no command for, sent raw after the hello: (file name, version, messages as hex).
RAW = [
    ("bad-multipart-96", 4, ["0412006000000007" + "0063000000000000" + "00" * 80]),
    ("bad-nx-subtype", 1, ["0104001000000007" + "00002320" + "000000ff"]),
    ("role-request", 4, ["0418001800000007" + "00000000" + "00000000" + "0000000000000000",
                         "0418001800000008" + "00000002" + "00000000" + "0000000000000005"]),
    ("nx-role-request", 1, ["0104001400000007" + "00002320" + "0000000a" + "00000002"]),
    ("get-async", 4, ["041a000800000007"]),
    ("get-async", 5, ["051a000800000007"]),
    ("get-async", 6, ["061a000800000007"]),
    ("set-controller-id", 1, ["0104001800000007" + "00002320" + "00000014" + "000000000000007b"]),
]
PROTOCOLS = [("of10", None), ("of13", "OpenFlow13"), ("of14", "OpenFlow14"), ("of15", "OpenFlow15")]


def run(env, *args):
    subprocess.run(args, env=env, check=True, capture_output=True, timeout=30)


def split(buf):
    msgs = []
    while len(buf) >= 8:
        n = struct.unpack("!H", buf[2:4])[0]
        if n < 8 or len(buf) < n:
            break
        msgs.append(buf[:n])
        buf = buf[n:]
    return msgs, buf


def converse(env, d, mgmt, protocol, args):
    """Runs ovs-ofctl against a relay to br0.mgmt; ovs-ofctl may open several connections (mod-port does)."""
    proxy = os.path.join(d, "proxy.sock")
    if os.path.exists(proxy):
        os.unlink(proxy)
    lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    lsock.bind(proxy)
    lsock.listen(8)
    argv = ["ovs-ofctl", "--timeout=10"] + (["-O", protocol] if protocol else []) + [a.replace("BR", "unix:" + proxy) for a in args]
    tool = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    log, peer, bufs, conn_no = [], {}, {}, {}
    deadline = time.time() + 20
    while time.time() < deadline:
        r, _, _ = select.select([lsock] + list(peer), [], [], 0.2)
        for s in r:
            if s is lsock:
                client, _ = lsock.accept()
                upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                upstream.connect(mgmt)
                peer[client], peer[upstream] = upstream, client
                bufs[client] = bufs[upstream] = b""
                conn_no[client] = conn_no[upstream] = len(conn_no) // 2 + 1
                continue
            if s not in peer:
                continue
            data = s.recv(65536)
            other = peer[s]
            if not data:
                for x in (s, other):
                    peer.pop(x, None)
                    x.close()
                continue
            try:
                other.sendall(data)
            except OSError:
                pass
            msgs, bufs[s] = split(bufs[s] + data)
            direction = ">" if s in conn_no and conn_no[s] and s is not other and (s.getsockname() == proxy) else "<"
            log += [f"{direction}{'' if conn_no[s] == 1 else conn_no[s]} {m.hex()}" for m in msgs]
        if tool.poll() is not None and not r:
            break
    out = tool.communicate(timeout=10)[0].decode()
    for x in list(peer) + [lsock]:
        x.close()
    return argv, out, log


def raw(d, mgmt, version, messages):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(mgmt)
    s.settimeout(5)
    sent = [struct.pack("!BBHI", version, 0, 8, 1)] + [bytes.fromhex(m) for m in messages]
    sent.append(struct.pack("!BBHI", version, 18 if version == 1 else 20, 8, 99))
    for m in sent:
        s.sendall(m)
    log, buf = [">" + " " + m.hex() for m in sent], b""
    deadline = time.time() + 10
    while time.time() < deadline:
        buf += s.recv(65536)
        msgs, buf = split(buf)
        log += ["< " + m.hex() for m in msgs]
        if any(m[1] in (19, 21) and m[4:8] == struct.pack("!I", 99) for m in msgs):
            break
    s.close()
    return log


def main():
    outdir = sys.argv[1]
    d = tempfile.mkdtemp(prefix="ofcap")
    env = dict(os.environ, OVS_RUNDIR=d, OVS_DBDIR=d, OVS_LOGDIR=d, OVS_SYSCONFDIR=d)
    procs = []
    try:
        db, conf = os.path.join(d, "db.sock"), os.path.join(d, "conf.db")
        run(env, "ovsdb-tool", "create", conf, "/usr/share/openvswitch/vswitch.ovsschema")
        procs.append(subprocess.Popen(["ovsdb-server", conf, "--remote=punix:" + db, "--pidfile=" + d + "/db.pid",
                                       "--unixctl=" + d + "/db.ctl", "--log-file=" + d + "/db.log"], env=env))
        for _ in range(100):
            if os.path.exists(db):
                break
            time.sleep(0.1)
        run(env, "ovs-vsctl", "--db=unix:" + db, "--no-wait", "init")
        procs.append(subprocess.Popen(["ovs-vswitchd", "unix:" + db, "--enable-dummy=override", "--disable-system",
                                       "--pidfile=" + d + "/vs.pid", "--unixctl=" + d + "/vs.ctl",
                                       "--log-file=" + d + "/vs.log"], env=env))
        run(env, "ovs-vsctl", "--db=unix:" + db, "--timeout=20", "add-br", "br0", "--", "set", "bridge", "br0",
            "datapath_type=dummy", "fail_mode=secure", "protocols=OpenFlow10,OpenFlow13,OpenFlow14,OpenFlow15",
            "other_config:datapath-id=0000000000000001",
            "--", "add-port", "br0", "p1", "--", "set", "interface", "p1", "type=dummy", "ofport_request=1",
            "--", "add-port", "br0", "p2", "--", "set", "interface", "p2", "type=dummy", "ofport_request=2")
        mgmt = os.path.join(d, "br0.mgmt")
        for _ in range(100):
            if os.path.exists(mgmt):
                break
            time.sleep(0.1)
        version = subprocess.run(["ovs-vswitchd", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        for name, args in COMMANDS:
            for tag, protocol in PROTOCOLS:
                argv, out, log = converse(env, d, mgmt, protocol, args)
                with open(os.path.join(outdir, f"{name}-{tag}.txt"), "w") as f:
                    f.write(f"# {' '.join(a if 'proxy.sock' not in a else 'br0' for a in argv)}\n")
                    f.write(f"# against {version} (dummy datapath, br0 with dummy ports p1, p2; datapath id 1)\n")
                    f.write("# '>' ovs-ofctl to ovs-vswitchd, '<' ovs-vswitchd to ovs-ofctl ('>2', '<2': its second connection); one message per line\n")
                    for line in out.rstrip().split("\n"):
                        f.write(f"## {line}\n")
                    f.write("\n".join(log) + "\n")
        version_text = version
        names = {1: "of10", 4: "of13", 5: "of14", 6: "of15"}
        for name, version, messages in RAW:
            log = raw(d, mgmt, version, messages)
            with open(os.path.join(outdir, f"{name}-{names[version]}.txt"), "w") as f:
                f.write(f"# raw messages over wire version {version} (hello, then the messages, then a barrier)\n")
                f.write(f"# against {version_text} (dummy datapath, br0 with dummy ports p1, p2)\n")
                f.write("# '>' sent to ovs-vswitchd, '<' its answers; one message per line\n")
                f.write("\n".join(log) + "\n")
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
