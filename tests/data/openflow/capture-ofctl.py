#!/usr/bin/python3
"""Records the OpenFlow messages an ovs-ofctl command sends to a switch, one hex line per message.

  capture-ofctl.py SWITCH_SOCKET -- ovs-ofctl [-O VERSION] COMMAND unix:PROXY_SOCKET ARGS...
      Listens on PROXY_SOCKET (the first 'unix:' argument), relays each connection to SWITCH_SOCKET (e.g. a
      private ovs-vswitchd's br0.mgmt) both ways, and prints every message the client sent except hello and
      echo. The switch's answers reach ovs-ofctl, so the command completes as it would against the switch.
  capture-ofctl.py SWITCH_SOCKET --send VERSION HEX...
      Connects to SWITCH_SOCKET, says hello at VERSION, sends each HEX message followed by a barrier request,
      and prints everything the switch answers (hex), up to the barrier reply: how Open vSwitch answers bytes.
"""
import os, select, socket, struct, subprocess, sys, threading, time

def read_msg(sock, buf):
    while len(buf) < 8 or len(buf) < struct.unpack('!H', buf[2:4])[0]:
        d = sock.recv(65536)
        if not d:
            return None, buf
        buf += d
    n = struct.unpack('!H', buf[2:4])[0]
    return buf[:n], buf[n:]

def relay(switch, args):
    path = next(a for a in args if a.startswith('unix:'))[5:]
    if os.path.exists(path):
        os.unlink(path)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    out = []
    def accept_all():
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=serve, args=(conn,), daemon=True).start()
    def serve(conn):
        up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        up.connect(switch)
        cbuf = b''
        try:
            while True:
                r, _, _ = select.select([conn, up], [], [], 10)
                if not r:
                    return
                if up in r:
                    d = up.recv(65536)
                    if not d:
                        return
                    conn.sendall(d)
                if conn in r:
                    d = conn.recv(65536)
                    if not d:
                        return
                    up.sendall(d)
                    cbuf += d
                    while len(cbuf) >= 8 and len(cbuf) >= struct.unpack('!H', cbuf[2:4])[0]:
                        n = struct.unpack('!H', cbuf[2:4])[0]
                        msg, cbuf = cbuf[:n], cbuf[n:]
                        if msg[1] not in (0, 2):
                            out.append(msg.hex())
        except (ConnectionResetError, BrokenPipeError):
            return
        finally:
            conn.close()
            up.close()
    threading.Thread(target=accept_all, daemon=True).start()
    p = subprocess.run(args, capture_output=True, text=True, timeout=20)
    time.sleep(0.2)
    for line in out:
        print(line)
    if p.returncode != 0:
        print('# ovs-ofctl exit %d: %s' % (p.returncode, p.stderr.strip()), file=sys.stderr)
    os.unlink(path)

def send(switch, version, hexes):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(switch)
    s.settimeout(5)
    s.sendall(struct.pack('!BBHI', version, 0, 8, 1))
    buf = b''
    msg, buf = read_msg(s, buf)  # hello
    barrier = 18 if version == 1 else 20
    for i, h in enumerate(hexes):
        s.sendall(bytes.fromhex(h))
        s.sendall(struct.pack('!BBHI', version, barrier, 8, 0xb0000000 + i))
        while True:
            msg, buf = read_msg(s, buf)
            if msg is None:
                print('closed')
                return
            if msg[1] == barrier + 1:
                print('--')
                break
            print(msg.hex())

if sys.argv[2] == '--send':
    send(sys.argv[1], int(sys.argv[3], 0), sys.argv[4:])
else:
    relay(sys.argv[1], sys.argv[3:])
