#!/usr/bin/env python3
"""Replay raw terminal output on a minimal screen and print its final lines.

usage: screen_lines.py RAW_FILE

The screen model knows what the tests need to tell "drawn over" from "left visible": printable
text overwrites at the cursor, "\\r" goes to column 0, "\\n" to the next line, "\\x1b[K" erases
from the cursor to the end of the line, "\\b" moves left; other escape sequences are dropped.
"""
import re
import sys

ESC = re.compile(rb"\x1b(\[[0-9;?<=>]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78MDEHc])")


def replay(data: bytes):
    lines, row, col = [[]], 0, 0
    pos = 0
    while pos < len(data):
        m = ESC.match(data, pos)
        if m:
            if m.group(0) == b"\x1b[K":
                del lines[row][col:]
            pos = m.end()
            continue
        b = data[pos:pos + 1]
        pos += 1
        if b == b"\r":
            col = 0
        elif b == b"\n":
            row += 1
            col = 0
            if row == len(lines):
                lines.append([])
        elif b == b"\b":
            col = max(0, col - 1)
        elif b >= b" " or b == b"\t":
            line = lines[row]
            line.extend([b" "] * (col - len(line)))
            if col < len(line):
                line[col] = b
            else:
                line.append(b)
            col += 1
    return [b"".join(l).decode("utf-8", "replace") for l in lines]


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        for line in replay(f.read()):
            print(line)
