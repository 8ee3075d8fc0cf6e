#!/usr/bin/env python3
"""Checks that FILE (what a command printed) cannot drive a terminal or hide text.

usage: terminal_safe.py FILE
Exit 0 when FILE is valid UTF-8 without C0 controls (newline and tab allowed), DEL, C1
controls (U+0080..U+009F) and bidi controls (U+061C, U+200E, U+200F, U+202A..U+202E,
U+2066..U+2069); otherwise exit 1 and print the first offence with its offset.
"""
import sys

BIDI = {0x061C, 0x200E, 0x200F} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def main():
    data = open(sys.argv[1], "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"invalid UTF-8 at byte {e.start}: {data[max(0, e.start - 20):e.start + 4]!r}")
        return 1
    for i, ch in enumerate(text):
        cp = ord(ch)
        if (cp < 0x20 and ch not in "\n\t") or cp == 0x7F or 0x80 <= cp <= 0x9F or cp in BIDI:
            print(f"U+{cp:04X} at character {i}: {text[max(0, i - 30):i + 4]!r}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
