#!/usr/bin/env python3
"""banner-probe.py IP OUT [DEADLINE_S]: watch IP:22 every millisecond until an SSH banner arrives.

Written for qemu's hostfwd, where connect() succeeds as soon as qemu runs, reads then get
nothing (guest NIC down) or EOF (guest up, nothing listening on 22), and finally the banner.
One connection at a time, the next one 1 ms after the previous ended. Until the first EOF a
connection lives at most 250 ms (its SYN to a guest whose NIC is down may be retried seconds
late); after it, up to 10 s, because a connection dropbear accepted must be left to send its
banner: all hostfwd connections come from 10.0.2.2, dropbear closes new ones at once while 5
unauthenticated ones from one address are open, and a TCG guest under load takes a second to
reap a child. Probing harder makes the guest look unready for longer (seen: 15 s of EOFs).
Times are CLOCK_REALTIME seconds, taken right after the syscall that observed the event.
OUT gets key=value lines:
  first_accept=T   first connect() that completed (qemu's forwarder is listening)
  first_eof=T      first connection closed by the forwarder (guest up, port 22 not yet open)
  banner=T         first complete line starting with SSH- on any connection
  banner_line=...  that line
  attempts=N
Exit 0 with a banner, 1 at the deadline (OUT then has no banner= line).
"""
import errno
import os
import signal
import selectors
import socket
import sys
import time

LIFETIME_BEFORE_EOF = 0.25
LIFETIME_AFTER_EOF = 10.0
MAX_IN_FLIGHT = 1
INTERVAL = 0.001


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    ip, out = sys.argv[1], sys.argv[2]
    deadline = time.monotonic() + (float(sys.argv[3]) if len(sys.argv) > 3 else 120.0)
    sel = selectors.DefaultSelector()
    conns = {}  # socket -> [started_monotonic, connected, buffer]
    found = {}
    attempts = 0
    next_start = 0.0

    def close(s):
        sel.unregister(s)
        s.close()
        del conns[s]

    try:
        while time.monotonic() < deadline and "banner" not in found:
            now = time.monotonic()
            if len(conns) < MAX_IN_FLIGHT and now >= next_start:
                next_start = now + INTERVAL
                attempts += 1
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setblocking(False)
                rc = s.connect_ex((ip, 22))
                if rc in (0, errno.EINPROGRESS):
                    conns[s] = [now, False, b""]
                    sel.register(s, selectors.EVENT_WRITE if rc else selectors.EVENT_READ)
                    if rc == 0:
                        conns[s][1] = True
                        found.setdefault("first_accept", time.time())
                else:
                    s.close()
            lifetime = LIFETIME_AFTER_EOF if "first_eof" in found else LIFETIME_BEFORE_EOF
            for s in [s for s, c in conns.items() if now - c[0] > lifetime]:
                close(s)
            for key, _ in sel.select(timeout=INTERVAL):
                s = key.fileobj
                c = conns[s]
                if not c[1]:
                    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if err:
                        close(s)
                        continue
                    c[1] = True
                    found.setdefault("first_accept", time.time())
                    sel.modify(s, selectors.EVENT_READ)
                    continue
                try:
                    data = s.recv(512)
                except OSError:
                    close(s)
                    continue
                t = time.time()
                if not data:
                    found.setdefault("first_eof", t)
                    close(s)
                    continue
                c[2] += data
                for line in c[2].split(b"\n")[:-1]:
                    if line.startswith(b"SSH-"):
                        found["banner"] = t
                        found["banner_line"] = line.decode("ascii", "replace").strip()
                        break
    finally:
        write(out, found, attempts)
    return 0 if "banner" in found else 1


def write(out, found, attempts):
    found["attempts"] = attempts
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        for k in ("first_accept", "first_eof", "banner", "banner_line", "attempts"):
            if k in found:
                v = found[k]
                f.write("%s=%s\n" % (k, "%.6f" % v if isinstance(v, float) else v))
    os.rename(tmp, out)


if __name__ == "__main__":
    sys.exit(main())
