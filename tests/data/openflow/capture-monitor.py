#!/usr/bin/python3
"""Records what `ovs-ofctl monitor BR watch:SPEC` and Open vSwitch exchange while another ovs-ofctl changes flows,
as test vectors for FastPath's flow monitor codec (flow-monitor-*.txt here).

Run as ./capture-monitor.py MGMT_SOCKET OUT.txt PROTOCOL SPEC 'ovs-ofctl args;...' against a running ovs-vswitchd
(dummy datapath) whose bridge socket is MGMT_SOCKET: a recording unix-socket proxy sits between the monitor and the
switch; the trigger commands go to the switch directly (so the monitor sees other connections' changes). Writes '#'
comments, then '> HEX' (monitor to switch) and '< HEX' (switch to monitor), one whole message per line.
"""
import os, select, socket, subprocess, sys, tempfile, time

mgmt, out, proto, spec, triggers = sys.argv[1:6]
tmp = tempfile.mkdtemp(prefix="fmcap-")
proxy_path = os.path.join(tmp, "proxy.sock")
listener = socket.socket(socket.AF_UNIX)
listener.bind(proxy_path)
listener.listen(4)
args = ["ovs-ofctl"] + (["-O", proto] if proto != "plain" else []) + ["monitor", "unix:" + proxy_path, "watch:" + spec]
env = dict(os.environ, OVS_RUNDIR=tmp)
mon = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp, env=env)
records, bufs, pairs = [], {}, {}
deadline = time.time() + 6
fired = False
monitor_conn = None
while time.time() < deadline:
    socks = [listener] + [s for p in pairs.items() for s in p]
    r, _, _ = select.select(socks, [], [], 0.05)
    for s in r:
        if s is listener:
            c, _ = listener.accept()
            up = socket.socket(socket.AF_UNIX); up.connect(mgmt)
            pairs[c] = up; bufs[c] = b""; bufs[up] = b""
            continue
        data = s.recv(65536)
        peer = pairs.get(s) or next(k for k, v in pairs.items() if v is s)
        if not data:
            continue
        peer.sendall(data)
        bufs[s] += data
        while len(bufs[s]) >= 4 and len(bufs[s]) >= int.from_bytes(bufs[s][2:4], "big"):
            n = int.from_bytes(bufs[s][2:4], "big")
            msg, bufs[s] = bufs[s][:n], bufs[s][n:]
            records.append((s, ">" if s in pairs else "<", msg))
    # The monitor's connection is the one that sent a flow monitor request; fire the triggers once it has been answered.
    if not fired and any(m[1] == "<" and m[2][1] in (0x11, 0x13) and m[2][8:10] in (b"\xff\xff", b"\x00\x10") for m in records):
        time.sleep(0.3)
        for t in triggers.split(";"):
            if t.strip():
                subprocess.run(["ovs-ofctl"] + t.split(), check=True, cwd=tmp, env=env)
        fired = True
        deadline = time.time() + 1.0
mon.kill()
stdout, stderr = mon.communicate()
# Keep the monitor's connection only: the one whose messages include the flow monitor request.
ids = {}
for s, d, m in records:
    key = s if d == ">" else next(k for k, v in pairs.items() if v is s)
    ids.setdefault(key, []).append((d, m))
conn = next(v for v in ids.values() if any(d == ">" and m[1] in (0x10, 0x12) and m[8:10] in (b"\xff\xff", b"\x00\x10") for d, m in v))
with open(out, "w") as f:
    f.write(f"# {' '.join(args[:-2])} BR watch:{spec}\n")
    f.write(f"# triggers (another connection): {triggers}\n")
    f.write("# against ovs-vswitchd (Open vSwitch) 3.1.0, dummy datapath; '>' ovs-ofctl to the switch, '<' back\n")
    for line in stderr.decode().splitlines():
        f.write("## " + line + "\n")
    for d, m in conn:
        f.write(f"{d} {m.hex()}\n")
subprocess.run(["rm", "-rf", tmp])
