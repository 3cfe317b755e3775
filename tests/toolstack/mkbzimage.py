#!/usr/bin/env python3
"""Wrap an ELF kernel in a bzImage as Linux's x86 build does, for tests.

usage: mkbzimage.py FORMAT ELF OUT [--version 0xNNNN] [--payload-offset N]
                    [--payload-length N] [--corrupt] [--truncate N]

FORMAT: gzip bzip2 xz lzma lzo lz4 zstd, or raw (not compressed).  The
payload is the ELF compressed by the format's own tool, then (but for
gzip, whose trailer has it) its size as 4 little-endian bytes, as
Linux's size_append.  The setup code and the decompressor are filler:
only the boot-protocol header fields that a loader reads are real.
The options make broken images: an older protocol, a payload that lies
outside the file, a payload with bytes flipped or cut short.
"""
import argparse
import struct
import subprocess
import sys

TOOLS = {
    "gzip": ["gzip", "-9", "-n", "-c"],
    "bzip2": ["bzip2", "-9", "-c"],
    "xz": ["xz", "--check=crc32", "-c"],
    "lzma": ["xz", "--format=lzma", "-c"],
    "lzo": ["lzop", "-9", "-c"],
    "lz4": ["lz4", "-l", "-9", "-c"],
    "zstd": ["zstd", "-19", "-q", "-c"],
}
SETUP_SECTS = 1
STUB = 0x200          # the "decompressor" before the payload


def compress(fmt, data):
    if fmt == "raw":
        return data
    out = subprocess.run(TOOLS[fmt], input=data, stdout=subprocess.PIPE,
                         check=True).stdout
    if fmt != "gzip":
        out += struct.pack("<I", len(data))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("format")
    ap.add_argument("elf")
    ap.add_argument("out")
    ap.add_argument("--version", type=lambda s: int(s, 0), default=0x020F)
    ap.add_argument("--payload-offset", type=int)
    ap.add_argument("--payload-length", type=int)
    ap.add_argument("--corrupt", action="store_true")
    ap.add_argument("--truncate", type=int)
    a = ap.parse_args()
    with open(a.elf, "rb") as f:
        payload = bytearray(compress(a.format, f.read()))
    if a.corrupt:
        # Past the headers: the stream itself must be judged.
        for i in range(len(payload) // 3, len(payload) // 3 + 64):
            payload[i] ^= 0x5A
    if a.truncate is not None:
        payload = payload[:a.truncate]
    setup = bytearray((SETUP_SECTS + 1) * 512)
    setup[0x1F1] = SETUP_SECTS
    setup[0x1FE:0x200] = b"\x55\xaa"
    setup[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", setup, 0x206, a.version)
    off = STUB if a.payload_offset is None else a.payload_offset
    plen = len(payload) if a.payload_length is None else a.payload_length
    struct.pack_into("<II", setup, 0x248, off, plen)
    body = bytes(STUB) + bytes(payload) + bytes(4)
    with open(a.out, "wb") as f:
        f.write(bytes(setup) + body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
