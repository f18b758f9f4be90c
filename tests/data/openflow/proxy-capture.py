#!/usr/bin/python3
"""Records the OpenFlow messages `ovs-ofctl` sends to a real switch: listens on PROXY (a unix socket path),
relays to SWITCH (e.g. a private ovs-vswitchd's br0.mgmt) and prints, as hex one a line, every message the
tool sends except hello, echo, barrier and multipart requests; with -r also the switch's other answers
(errors, replies to what was printed), prefixed by '< '.
Usage: proxy-capture.py [-r] PROXY SWITCH -- ovs-ofctl ARGS... (write unix:PROXY where the switch goes)."""
import os, select, socket, struct, subprocess, sys

def split(buf):
    out = []
    while len(buf) >= 8 and len(buf) >= struct.unpack('!H', buf[2:4])[0]:
        n = struct.unpack('!H', buf[2:4])[0]
        out.append(buf[:n])
        buf = buf[n:]
    return out, buf

def boring(m, from_tool):
    v, t = m[0], m[1]
    if t in (0, 2, 3):
        return True
    if v == 1:
        return t in ((16, 18) if from_tool else (17, 19))
    return t in ((18, 20) if from_tool else (19, 21))

def relay(client, switch, replies):
    up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    up.connect(switch)
    bufs = {client: b'', up: b''}
    other = {client: up, up: client}
    open_ = True
    while open_:
        ready, _, _ = select.select([client, up], [], [], 10)
        if not ready:
            break
        for s in ready:
            d = s.recv(65536)
            if not d:
                open_ = False
                break
            msgs, bufs[s] = split(bufs[s] + d)
            for m in msgs:
                if os.environ.get("CAPTURE_DEBUG"):
                    print("#", "tool" if s is client else "switch", m[:16].hex(), len(m), file=sys.stderr)
                if not boring(m, s is client) and (s is client or replies):
                    print(('' if s is client else '< ') + m.hex(), flush=True)
                other[s].sendall(m)
    client.close()
    up.close()

def main():
    args = sys.argv[1:]
    replies = args[0] == '-r'
    if replies:
        args = args[1:]
    proxy, switch = args[0], args[1]
    cmd = args[args.index('--') + 1:]
    if os.path.exists(proxy):
        os.unlink(proxy)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(proxy)
    srv.listen(1)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # ovs-ofctl may open several connections (one to learn table names, one for the command): relay each.
    srv.settimeout(0.2)
    while proc.poll() is None:
        try:
            client, _ = srv.accept()
        except socket.timeout:
            continue
        client.settimeout(None)
        relay(client, switch, replies)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    err = proc.stderr.read().decode()
    if err:
        sys.stderr.write(err)
    os.unlink(proxy)

main()
