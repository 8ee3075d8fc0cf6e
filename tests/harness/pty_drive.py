#!/usr/bin/env python3
"""Drive an interactive program (a shell) through a pseudo-terminal, like a person would.

usage: pty_drive.py [--prompt REGEX] [--timeout S] [--raw FILE] --transcript FILE -- CMD [ARG...]
       < STEPS

STEPS, one per line (blank lines and lines starting with '#' are ignored):
  send TEXT     type TEXT and Enter, then wait for the next prompt after the command's output
  type TEXT     type TEXT as is (Python escapes: \\t is TAB, \\x03 is Ctrl-C); no waiting
  wait REGEX    wait until the output since the last send/type matches REGEX
  sleep S       let S seconds pass (output keeps being collected)
The first prompt is awaited before the first step. At the end "exit" is sent and the program
is given a few seconds to leave. The transcript gets everything the program printed, with
terminal escape sequences and carriage returns removed. Exit status: 0, or 1 when a wait timed
out (the transcript then ends with "pty_drive: timeout waiting for ..."). --raw FILE also keeps the
bytes as the terminal got them (for screen_lines.py).
"""
import argparse
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

ANSI = re.compile(rb"\x1b(\[[0-9;?<=>]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78MDEHc])")


def clean(data: bytes) -> str:
    data = ANSI.sub(b"", data).replace(b"\r", b"")
    return data.decode("utf-8", "replace")


class Driver:
    def __init__(self, argv, prompt, timeout):
        self.prompt = re.compile(prompt)
        self.timeout = timeout
        self.raw = b""
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvp(argv[0], argv)
        # Wide enough that no line of a test wraps.
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 250, 0, 0))

    def pump(self, seconds):
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return True
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            self.raw += chunk

    def wait_for(self, test, what):
        end = time.monotonic() + self.timeout
        while not test(clean(self.raw)):
            if time.monotonic() > end:
                raise TimeoutError(what)
            if not self.pump(0.05) and not test(clean(self.raw)):
                raise EOFError(what)

    def write(self, text: str):
        os.write(self.fd, text.encode())

    def send(self, line):
        start = len(clean(self.raw))
        self.write(line + "\r")

        # The prompt that follows the command: the first one after the echo of the line.
        def done(out):
            nl = out.find("\n", start)
            return nl >= 0 and self.prompt.search(out, nl) is not None

        self.wait_for(done, "the prompt after: " + line)

    def finish(self):
        try:
            self.write("exit\r")
        except OSError:
            pass
        self.pump(3)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prompt", default=r"MVHPROMPT> ")
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--transcript", required=True)
    ap.add_argument("--raw")
    ap.add_argument("argv", nargs="+")
    args = ap.parse_args()
    steps = sys.stdin.read().splitlines()

    d = Driver(args.argv, args.prompt, args.timeout)
    status = 0
    try:
        d.wait_for(lambda out: d.prompt.search(out) is not None, "the first prompt")
        mark = 0
        for step in steps:
            if not step.strip() or step.startswith("#"):
                continue
            verb, _, arg = step.partition(" ")
            if verb == "send":
                mark = len(clean(d.raw))
                d.send(arg)
            elif verb == "type":
                mark = len(clean(d.raw))
                d.write(arg.encode().decode("unicode_escape"))
            elif verb == "wait":
                rx = re.compile(arg)
                d.wait_for(lambda out: rx.search(out, mark) is not None, arg)
            elif verb == "sleep":
                d.pump(float(arg))
            else:
                raise SystemExit("pty_drive: unknown step: " + step)
    except (TimeoutError, EOFError) as e:
        kind = "timeout" if isinstance(e, TimeoutError) else "end of output"
        d.raw += ("\npty_drive: %s waiting for %s\n" % (kind, e)).encode()
        status = 1
    d.finish()
    with open(args.transcript, "w") as f:
        f.write(clean(d.raw))
    if args.raw:
        with open(args.raw, "wb") as f:
            f.write(d.raw)
    return status


if __name__ == "__main__":
    sys.exit(main())
