#!/usr/bin/env python3
"""Write the hand-made seeds of tests/fuzz/corpus/ (run from the source
tree's top: python3 tests/fuzz/mkseeds.py).  Control frames, control
requests, JSON-RPC lines, small Xen PV ELF images, xenstore requests
and save files, built here byte by byte after include/xm/ctl.h, xmd/rpc.h,
include/xm/elfnote.h, include/xm/xs_wire.h and xmd/savefile.h; the
definitions are copied from examples/ and tests/defs/.  The seeds are
checked in; run this again when a format changes.  Inputs that the
fuzzers found (regressions) live beside these, named after their bug."""

import glob
import os
import re
import shutil
import struct
import zlib

TOP = "tests/fuzz/corpus"

MAGIC = 0x4C54434D
REPLY, EVENT = 1, 2


def ctl_ops():
    """The op numbers, from the one list (XM_CTL_OPS)."""
    ops = {"ERROR": 0xFFFF}
    with open("include/xm/ctl_ops.h") as f:
        for m in re.finditer(r"X\(XM_CTL_OP_(\w+), (\d+),", f.read()):
            ops[m.group(1)] = int(m.group(2))
    return ops


OP = ctl_ops()
VCPU_CONTEXT_SIZE = 5168  # struct xm_vcpu_guest_context


def put(target, name, data):
    d = os.path.join(TOP, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def frame(op, payload=b"", seq=1, status=0, flags=0, version=1, pad=0,
          length=None):
    n = len(payload) if length is None else length
    return struct.pack("<IHHIiIHH", MAGIC, version, op, seq, status, n,
                       flags, pad) + payload


def domid(d):
    return struct.pack("<H6x", d)


def mem_req(domain, segs, with_data):
    p = struct.pack("<HHI", domain, 0, len(segs))
    for mfn, off, n in segs:
        p += struct.pack("<QHHI", mfn, off, n, 0)
    if with_data:
        for _, _, n in segs:
            p += bytes((i * 7) & 0xFF for i in range(n))
    return p


# --- xmd's side: what the node sends ------------------------------------
def ctl_frame_seeds():
    info = struct.pack("<HHIIIII", 3, 0, 1, 0, 1, 1, 0) + bytes(40)
    hello = struct.pack("<H6x", 1) + struct.pack("<IIQQQII16s", 2, 0x40011,
                                                  65536, 30000, 70000, 2,
                                                  0, b"-xm") + \
        b"xm-dom0 0.1.0".ljust(32, b"\0")
    put("ctl_frame", "hello-reply", frame(OP["HELLO"], hello, flags=REPLY))
    put("ctl_frame", "getinfo-reply",
        frame(OP["GETINFO"], info, seq=7, flags=REPLY))
    put("ctl_frame", "list-reply",
        frame(OP["LIST"], info * 3, seq=8, flags=REPLY))
    put("ctl_frame", "error-reply",
        frame(OP["ERROR"], seq=9, status=-22, flags=REPLY))
    put("ctl_frame", "console-event",
        frame(OP["CONSOLE_OUTPUT"], struct.pack("<HHI", 3, 0, 6) +
              b"hello\n", seq=0, flags=EVENT))
    put("ctl_frame", "domain-event",
        frame(OP["DOMAIN_EVENT"], info, seq=0, flags=EVENT))
    put("ctl_frame", "garbage-then-frame",
        b"MCTxxMCMC" + frame(OP["PAUSE"], seq=3, flags=REPLY) + b"MC")
    put("ctl_frame", "bad-version",
        frame(OP["PAUSE"], version=2) + frame(OP["PAUSE"], flags=REPLY))
    put("ctl_frame", "bad-flags",
        frame(OP["PAUSE"], flags=0x80) + frame(OP["PAUSE"], pad=1) +
        frame(OP["PAUSE"], flags=REPLY))
    put("ctl_frame", "too-long", frame(OP["READ_MEM"], length=0x10001))
    put("ctl_frame", "partial", frame(OP["READ_MEM"], length=4096)[:100])


# --- domain 0's side: what xmd sends ----------------------------------
def host_cfg(fail=0, flags=0, chunk=0, ring=(0, 0, 0, 0)):
    return struct.pack("<IBB2x4I", fail, flags, chunk, *ring)


def log_dirty(domain, op, nr_pfns=0, start_pfn=0, count=0):
    return struct.pack("<HHIQQQ", domain, 0, op, nr_pfns, start_pfn, count)


def dom0_requests():
    vcpu = struct.pack("<HHI", 5, 0, 0)
    return [
        ("hello", frame(OP["HELLO"], struct.pack("<HHI", 1, 1, 0))),
        ("create", frame(OP["CREATE"], struct.pack("<IIQ", 1, 0, 4096))),
        ("destroy", frame(OP["DESTROY"], domid(5))),
        ("pause", frame(OP["PAUSE"], domid(5))),
        ("unpause", frame(OP["UNPAUSE"], domid(5))),
        ("shutdown", frame(OP["SHUTDOWN"], struct.pack("<HHI", 5, 0, 1))),
        ("getinfo", frame(OP["GETINFO"], domid(0))),
        ("list", frame(OP["LIST"], struct.pack("<HHI", 0, 0, 16))),
        ("max-mem", frame(OP["MAX_MEM"], domid(5) +
                          struct.pack("<Q", 8192))),
        ("populate", frame(OP["POPULATE"],
                           struct.pack("<HHIQ", 5, 0, 64, 0))),
        ("set-vcpu", frame(OP["SET_VCPU"], vcpu +
                           bytes(VCPU_CONTEXT_SIZE))),
        ("get-vcpu", frame(OP["GET_VCPU"], vcpu)),
        ("page-list", frame(OP["PAGE_LIST"],
                            struct.pack("<HHIQ", 5, 0, 100, 0))),
        ("write-mem", frame(OP["WRITE_MEM"], mem_req(
            5, [(0x100, 0, 64), (0x101, 4000, 96)], True))),
        ("read-mem", frame(OP["READ_MEM"], mem_req(
            5, [(0x100, 0, 64), (0x102, 16, 4080)], False))),
        ("hypercall-init", frame(OP["HYPERCALL_INIT"], domid(5) +
                                 struct.pack("<Q", 0x123))),
        ("physinfo", frame(OP["PHYSINFO"])),
        ("console-attach", frame(OP["CONSOLE_ATTACH"], domid(5) +
                                 struct.pack("<Q", 0))),
        ("console-input", frame(OP["CONSOLE_INPUT"],
                                struct.pack("<HHI", 5, 0, 4) + b"ls\r\n")),
        ("echo", frame(OP["ECHO"], b"ping" * 16)),
        ("sched-get", frame(OP["SCHED_GET"], domid(5))),
        ("sched-set", frame(OP["SCHED_SET"], domid(5) +
                            struct.pack("<IIII", 0, 512, 50, 0))),
        ("vcpu-affinity", frame(OP["VCPU_AFFINITY"], domid(5) +
                                struct.pack("<IIQ", 1, 0, 0x6))),
        ("vcpu-list", frame(OP["VCPU_LIST"], domid(5))),
        ("stats", frame(OP["STATS"], struct.pack("<HHI", 0, 0, 64))),
        ("log-dirty-enable", frame(OP["LOG_DIRTY"], log_dirty(5, 1, 4096))),
        ("log-dirty-clean", frame(OP["LOG_DIRTY"],
                                  log_dirty(5, 4, 0, 64, 32768))),
        ("log-dirty-peek-bad", frame(OP["LOG_DIRTY"],
                                     log_dirty(5, 3, 0, 0, 100))),
        ("log-dirty-disable", frame(OP["LOG_DIRTY"], log_dirty(5, 2))),
        ("store-input", frame(OP["STORE_INPUT"],
                              struct.pack("<HHI", 5, 0, 3) + b"abc")),
        ("resume", frame(OP["RESUME"], domid(5))),
        # struct xm_ctl_page_info, then nr mfns / struct xm_pin_table.
        ("page-info", frame(OP["PAGE_INFO"], struct.pack("<HHI", 5, 0, 3) +
                            struct.pack("<3Q", 0x100, 0x101, 0x102))),
        ("pin-tables", frame(OP["PIN_TABLES"],
                             struct.pack("<HHI", 5, 0, 2) +
                             struct.pack("<QII", 0x100, 4, 0) +
                             struct.pack("<QII", 0x101, 1, 0))),
        ("page-info-bad", frame(OP["PAGE_INFO"],
                                struct.pack("<HHI", 5, 0, 3) +
                                struct.pack("<2Q", 0x100, 0x101))),
    ]


def dom0_ctl_seeds():
    reqs = dom0_requests()
    for name, f in reqs:
        put("dom0_ctl", name, host_cfg() + f)
    every = b"".join(f for _, f in reqs)
    put("dom0_ctl", "all-ops", host_cfg() + every)
    put("dom0_ctl", "all-ops-chunked", host_cfg(chunk=7) + every)
    put("dom0_ctl", "all-ops-failing", host_cfg(fail=0x1FFFFE) + every)
    put("dom0_ctl", "all-ops-hostile", host_cfg(flags=1) + every)
    attach = dict(reqs)["console-attach"]
    put("dom0_ctl", "console-ring", host_cfg(ring=(0, 0, 2040, 2060)) +
        attach + dict(reqs)["console-input"])
    put("dom0_ctl", "console-ring-bad", host_cfg(ring=(5, 2000, 9, 1)) +
        attach + dict(reqs)["console-input"])
    put("dom0_ctl", "garbage", host_cfg() + b"xxxxMCTL" +
        frame(OP["PAUSE"], domid(5), version=9) + dict(reqs)["pause"])
    put("dom0_ctl", "refused", host_cfg() +
        frame(OP["PAUSE"], domid(0)) + frame(OP["PAUSE"], b"\0" * 9) +
        frame(77) + frame(OP["PAUSE"], domid(5), flags=REPLY))


# --- xmd's JSON-RPC -----------------------------------------------------
def rpc_seeds():
    lines = [
        '{"jsonrpc":"2.0","id":1,"method":"domain.list","params":'
        '{"all":true}}',
        '{"jsonrpc":"2.0","id":"x","method":"domain.info","params":'
        '{"domain":"web1"}}',
        '{"jsonrpc":"2.0","id":3,"method":"domain.state","params":'
        '{"domain":7}}',
        '{"jsonrpc":"2.0","id":4,"method":"domain.definition","params":'
        '{"domain":"web1","format":"json"}}',
        '{"jsonrpc":"2.0","id":5,"method":"domain.console","params":'
        '{"domain":"web1","follow":false}}',
        '{"jsonrpc":"2.0","id":6,"method":"node.info"}',
        '{"jsonrpc":"2.0","method":"events.subscribe","params":{}}',
        '{"jsonrpc":"2.0","id":8,"method":"domain.define","params":'
        '{"definition":"<domain type=\'xen\'/>"}}',
        '{"jsonrpc":"2.0","id":9,"method":"domain.autostart","params":'
        '{"domain":"web1","enable":true}}',
        '{"jsonrpc":"2.0","id":10,"method":"auth.token","params":'
        '{"token":"s3cret"}}',
        '[{"jsonrpc":"2.0","id":11,"method":"domain.start","params":'
        '{"domain":"a"}},{"jsonrpc":"2.0","method":"domain.pause","params":'
        '{"domain":"b"}},{"jsonrpc":"2.0","id":null,"method":"nope"}]',
        '{"jsonrpc":"2.0","id":12,"method":"domain.destroy","params":'
        '{"domain":"web1","extra":1}}',
        '{"jsonrpc":"1.0","id":13,"method":"domain.list"}',
        '{"jsonrpc":"2.0","id":[1],"method":"domain.list"}',
        '[]',
        'not json',
        '{"jsonrpc":"2.0","id":14,"method":"domain.resume","params":'
        '{"domain":"\\u00e9t\\u00e9"}} ',
        '{"jsonrpc":"2.0","id":15,"method":"domain.setSchedParams","params":'
        '{"domain":"web1","weight":512,"cap":-1,"config":true}}',
        '{"jsonrpc":"2.0","id":16,"method":"domain.vcpupin","params":'
        '{"domain":"web1","vcpu":1,"cpulist":"0-3,^2","live":true}}',
        '{"jsonrpc":"2.0","id":17,"method":"domain.schedinfo","params":'
        '{"domain":2,"live":true,"config":true}}',
    ]
    for role, name in ((2, "admin"), (1, "read"), (0, "none")):
        put("rpc", "all-" + name,
            bytes([role]) + "\n".join(lines).encode() + b"\n")
        put("rpc", "all-" + name + "-gone",
            bytes([role | 0x80]) + "\n".join(lines).encode() + b"\n")
    for i, line in enumerate(lines):
        put("rpc", "line-%02d" % i, b"\x02" + line.encode() + b"\n")


def def_seeds():
    for pattern, target in (("examples/*.xml", "def_xml"),
                            ("tests/defs/accept/*.xml", "def_xml"),
                            ("tests/defs/accept/*.xml.out", "def_xml"),
                            ("tests/defs/reject/*.xml", "def_xml"),
                            ("tests/defs/accept/*.json", "def_json"),
                            ("tests/defs/accept/*.json.out", "def_json"),
                            ("tests/defs/reject/*.json", "def_json")):
        for path in sorted(glob.glob(pattern)):
            d = os.path.join(TOP, target)
            os.makedirs(d, exist_ok=True)
            name = path.split("/")[-2] + "-" + os.path.basename(path)
            shutil.copyfile(path, os.path.join(d, name))


# --- Xen PV ELF images --------------------------------------------------
def note(ntype, desc):
    desc = desc if isinstance(desc, bytes) else struct.pack("<Q", desc)
    pad = (4 - len(desc) % 4) % 4
    return struct.pack("<III", 4, len(desc), ntype) + b"Xen\0" + desc + \
        b"\0" * pad


def elf(segs, notes, entry, in_sections=False, extra_phdrs=()):
    """segs: (paddr, payload, memsz, flags); notes: bytes."""
    nph = len(segs) + (0 if in_sections else 1) + len(extra_phdrs)
    off = 64 + 56 * nph
    notes_off = off
    off += len(notes)
    data = b""
    phdrs = b""
    for paddr, payload, memsz, flags in segs:
        phdrs += struct.pack("<IIQQQQQQ", 1, flags, off + len(data), paddr,
                             paddr, len(payload), memsz, 0x1000)
        data += payload
    if not in_sections:
        phdrs += struct.pack("<IIQQQQQQ", 4, 4, notes_off, 0, 0,
                             len(notes), len(notes), 4)
    for ph in extra_phdrs:
        phdrs += ph
    shdrs = b""
    shoff = shnum = 0
    if in_sections:
        shoff = off + len(data)
        shnum = 2
        shdrs = bytes(64) + struct.pack("<IIQQQQIIQQ", 0, 7, 2, 0,
                                        notes_off, len(notes), 0, 0, 4, 0)
    ehdr = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9) + \
        struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, entry, 64, shoff, 0, 64,
                    56, nph, 64, shnum, 0)
    return ehdr + phdrs + notes + data + shdrs


def basic_notes(base, entry=None, hypercall=None, more=b""):
    n = note(6, b"linux\0") + note(5, b"xen-3.0\0") + note(3, base) + \
        note(4, base) + note(8, b"generic\0")
    if entry is not None:
        n += note(1, entry)
    if hypercall is not None:
        n += note(2, hypercall)
    return n + more


def xen_elf_seeds():
    top = 0xFFFFFFFF80000000
    code = bytes(range(256)) * 2
    put("xen_elf", "linux-like", elf(
        [(top, code, 0x2000, 5), (top + 0x2000, code[:64], 0x5000, 6)],
        basic_notes(top, top, top + 0x1000), top))
    feats = b"writable_page_tables|writable_descriptor_tables|" \
            b"auto_translated_physmap|supervisor_mode_kernel|!pae_pgdir_" \
            b"above_4gb\0"
    put("xen_elf", "every-note", elf(
        [(top, code, 0x3000, 7)],
        basic_notes(top, top + 16, top + 0x2000,
                    note(7, b"2.6\0") + note(9, b"yes\0") +
                    note(10, feats) + note(11, b"yes\0") +
                    note(12, 0xFFFF800000000000) +
                    note(13, struct.pack("<QQ", 0xFF, 0x1)) +
                    note(14, 1) + note(15, 0xFFFFFFFFC0000000) +
                    note(16, 1) + note(17, struct.pack("<I", 0x1D)) +
                    note(18, struct.pack("<I", 0x100000))), top))
    low = 0x400000
    put("xen_elf", "low-half", elf(
        [(low, code, 0x1000, 5), (low + 0x10000, code, 0x800, 6)],
        basic_notes(0, low), low))
    put("xen_elf", "paddr-offset", elf(
        [(0x100000, code, 0x1000, 5)],
        note(6, b"linux\0") + note(5, b"xen-3.0\0") +
        note(3, 0xFFFFFFFF80000000) + note(4, 0x100000),
        0xFFFFFFFF80000000))
    put("xen_elf", "notes-in-sections", elf(
        [(top, code, 0x1000, 5)], basic_notes(top, top), top,
        in_sections=True))
    put("xen_elf", "near-the-top", elf(
        [(0xFFFFFFFFFFE00000, code, 0x1000, 5)],
        basic_notes(0xFFFFFFFFFFE00000, 0xFFFFFFFFFFE00000),
        0xFFFFFFFFFFE00000))
    put("xen_elf", "many-segments", elf(
        [(top + i * 0x1000, code[:32], 0x800, 5) for i in range(16)],
        basic_notes(top, top), top))
    hello = "guests/hello/hello.elf"
    if os.path.exists(hello):
        os.system("strip -o %s/xen_elf/hello %s" % (TOP, hello))


XS = {"DIRECTORY": 1, "READ": 2, "GET_PERMS": 3, "WATCH": 4, "UNWATCH": 5,
      "TRANSACTION_START": 6, "TRANSACTION_END": 7, "INTRODUCE": 8,
      "RELEASE": 9, "GET_DOMAIN_PATH": 10, "WRITE": 11, "MKDIR": 12,
      "RM": 13, "SET_PERMS": 14, "IS_DOMAIN_INTRODUCED": 17,
      "RESET_WATCHES": 21, "DIRECTORY_PART": 22}


def xs_msg(op, payload, tx=0, rid=1):
    """A request as include/xm/xs_wire.h frames it."""
    return struct.pack("<IIII", XS[op], rid, tx, len(payload)) + payload


def xs_chunks(who, stream):
    """fuzz_xenstore's input: chunks of at most 255 bytes for domain who."""
    out = b""
    for i in range(0, len(stream), 255):
        part = stream[i:i + 255]
        out += bytes([who, len(part)]) + part
    return out


def xenstore_seeds():
    rw = (xs_msg("WRITE", b"data/a/b\0hello") +
          xs_msg("READ", b"data/a/b\0") +
          xs_msg("DIRECTORY", b"data\0") +
          xs_msg("DIRECTORY_PART", b"data\x000\0") +
          xs_msg("GET_PERMS", b"data/a\0") +
          xs_msg("RM", b"data/a\0"))
    put("xenstore", "read-write", xs_chunks(1, rw))
    perms = (xs_msg("WRITE", b"data/k\0v") +
             xs_msg("SET_PERMS", b"data/k\0n1\0r2\0"))
    spy = (xs_msg("READ", b"/local/domain/1/data/k\0") +
           xs_msg("WRITE", b"/local/domain/1/data/k\0x") +
           xs_msg("READ", b"/tool/secret\0"))
    put("xenstore", "two-domains", xs_chunks(1, perms) + xs_chunks(2, spy))
    txn = (xs_msg("TRANSACTION_START", b"\0") +
           xs_msg("WRITE", b"data/t\0" b"1", tx=1) +
           xs_msg("READ", b"data/t\0", tx=1) +
           xs_msg("TRANSACTION_END", b"T\0", tx=1) +
           xs_msg("TRANSACTION_START", b"\0") +
           xs_msg("MKDIR", b"data/u\0", tx=2))
    other = xs_msg("WRITE", b"/local/domain/1/data/t\0" b"2")
    put("xenstore", "transactions",
        xs_chunks(1, txn) + xs_chunks(0, other) +
        xs_chunks(1, xs_msg("TRANSACTION_END", b"T\0", tx=2)))
    watch = (xs_msg("WATCH", b"data\0tok\0") +
             xs_msg("WATCH", b"@releaseDomain\0r\0") +
             xs_msg("WRITE", b"data/w\0" b"1") +
             xs_msg("UNWATCH", b"data\0tok\0") +
             xs_msg("RESET_WATCHES", b"\0"))
    put("xenstore", "watches", xs_chunks(1, watch) + bytes([0xf0, 0x01]))
    dom0 = (xs_msg("INTRODUCE", b"5\0" b"1234\0" b"3\0") +
            xs_msg("IS_DOMAIN_INTRODUCED", b"5\0") +
            xs_msg("GET_DOMAIN_PATH", b"5\0") +
            xs_msg("RELEASE", b"5\0"))
    put("xenstore", "domain-0", xs_chunks(0, dom0))
    big = struct.pack("<IIII", XS["READ"], 1, 0, 4097)
    put("xenstore", "oversized", xs_chunks(2, big) + bytes([0xf0, 0x13]) +
        xs_chunks(2, xs_msg("READ", b"data\0")))
    split = xs_msg("WRITE", b"data/s\0" + b"v" * 600)
    put("xenstore", "split", b"".join(
        bytes([1, len(split[i:i + 7])]) + split[i:i + 7]
        for i in range(0, len(split), 7)))


# --- save files (xmd/savefile.h, man/xm-save.5) ---------------------------
SF = {"DEFINITION": 1, "DOMAIN": 2, "PAGES": 3, "VCPU": 4, "SHARED_INFO": 5,
      "P2M_FRAMES": 6, "END": 0xFFFFFFFF}
SF_PINNED = 1 << 59
SF_PAGE = 4096
L1, L2, L3, L4, DESC = 1, 2, 3, 4, 5
CTX_RDX, CTX_CR3 = 616, 4984 + 3 * 8  # in struct xm_vcpu_guest_context
SI_STORE, SI_CONSOLE = 56, 72  # store_mfn, console.domU.mfn in start_info
SF_DEF = (b"<domain type='xen'>\n  <name>saved</name>\n"
          b"  <memory unit='MiB'>16</memory>\n  <vcpu>%d</vcpu>\n"
          b"  <os>\n    <kernel>guests/hello/hello.elf</kernel>\n  </os>\n"
          b"</domain>\n")


def sf_record(rtype, payload):
    return struct.pack("<II", SF[rtype], len(payload)) + payload + \
        bytes(-len(payload) % 8)


SF_FLAG_LIVE = 1


def sf_header(flags=0):
    return b"XM-SAVE\n" + struct.pack("<II", 1, flags)


SF_NO_PFN = (1 << 64) - 1


def sf_domain(vcpus, max_pages, nr_pfns, tot_pages, start_pfn):
    return sf_record("DOMAIN", struct.pack("<IIQQQQ", vcpus, 0, max_pages,
                                           nr_pfns, tot_pages, start_pfn))


def sf_vcpu(n, online, start_pfn, cr3_pfn):
    ctx = bytearray(VCPU_CONTEXT_SIZE)
    struct.pack_into("<Q", ctx, CTX_RDX, start_pfn)
    struct.pack_into("<Q", ctx, CTX_CR3, cr3_pfn << 12)
    return sf_record("VCPU", struct.pack("<II", n, online) + bytes(ctx))


def sf_p2m(pfns):
    return sf_record("P2M_FRAMES", struct.pack("<%dQ" % (len(pfns) + 1),
                                               len(pfns), *pfns))


def sf_start_info(store=0, console=0):
    si = bytearray(SF_PAGE)
    si[:14] = b"xen-3.0-x86_64"
    struct.pack_into("<Q", si, SI_STORE, store)
    struct.pack_into("<Q", si, SI_CONSOLE, console)
    return bytes(si)


def sf_pages(batch):
    """batch: (pfn, type, pinned, page); page None: filled with the pfn."""
    words = b"".join(struct.pack("<Q", pfn | t << 60 |
                                 (SF_PINNED if pin else 0))
                     for pfn, t, pin, _ in batch)
    data = b"".join(page if page is not None else
                    bytes([pfn & 0xFF]) * SF_PAGE
                    for pfn, _, _, page in batch)
    return sf_record("PAGES", struct.pack("<II", len(batch), 0) + words +
                     data)


def sf_end(body):
    return body + struct.pack("<IIII", SF["END"], 8,
                              zlib.crc32(body) & 0xFFFFFFFF, 0)


def fnv1a(data):
    """fuzz_hash() of tests/fuzz/fuzz.h."""
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def sf_put(name, make, vcpus=1, whole=False):
    """make(definition) gives the records.  The target appends END to
    the inputs whose fuzz_hash() mod 8 is not 0 and takes the others
    whole: the definition gets a comment that makes the seed one or the
    other."""
    for i in range(1000):
        body = make(sf_record("DEFINITION", SF_DEF % vcpus +
                              b"<!-- %d -->\n" % i))
        data = sf_end(body) if whole else body
        if (fnv1a(data) % 8 == 0) == whole:
            put("savefile", name, data)
            return
    raise ValueError(name)


def savefile_seeds():
    """Valid files, as rs_image_read() takes them."""
    def minimal(d):
        return sf_header() + d + sf_domain(1, 8, 4, 2, 1) + sf_p2m([0]) + \
            sf_vcpu(0, 1, 1, 0) + \
            sf_pages([(0, 0, False, None), (1, 0, False, sf_start_info())])
    sf_put("minimal", minimal)
    sf_put("whole", minimal, whole=True)
    # As xmd writes them: 4 levels of pinned tables, store and console.
    tables = [(3, L4, True, None), (2, L3, True, None),
              (1, L2, True, None), (0, L1, True, None),
              (9, L1, False, None), (10, DESC, False, None)]
    rest = [(4, 0, False, sf_start_info(5, 6)), (5, 0, False, None),
            (6, 0, False, None), (7, 0, False, None)]
    sf_put("like-xmd", lambda d: sf_header() + d +
           sf_domain(2, 20, 16, 10, 4) + sf_p2m([7]) +
           sf_record("SHARED_INFO", bytes(SF_PAGE)) +
           sf_vcpu(0, 1, 4, 3) + sf_vcpu(1, 0, 0, 0) +
           sf_pages(tables) + sf_pages(rest), vcpus=2)
    # Any order, so long as DOMAIN comes before what it counts.
    sf_put("reordered", lambda d: sf_header() +
           sf_domain(3, 8, 8, 3, 2) + sf_vcpu(2, 1, 0, 1) +
           sf_pages([(2, 0, False, sf_start_info(console=1))]) +
           sf_vcpu(0, 1, 2, 1) +
           sf_pages([(1, L4, True, None), (0, 0, False, None)]) +
           sf_p2m([0, 0]) + d, vcpus=3)
    full = [(i, 0, False, None) for i in range(15)]
    full[5] = (5, 0, False, sf_start_info(store=14))
    sf_put("full-batch", lambda d: sf_header() + d +
           sf_domain(1, 40, 32, 15, 5) + sf_p2m([0]) + sf_vcpu(0, 1, 5, 0) +
           sf_pages(full))
    # Few pages in a large p2m, its frames given more than once.
    sf_put("sparse", lambda d: sf_header() + d +
           sf_domain(1, 1 << 20, 1 << 20, 2, 0xFFFFF) +
           sf_p2m([0x12345, 0x12345, 0xFFFFF]) +
           sf_vcpu(0, 1, 0xFFFFF, 0) +
           sf_pages([(0x12345, 0, False, None),
                     (0xFFFFF, 0, False, sf_start_info())]))
    # A live stream (xm-save(5), "Live streams"): the head, two pre-copy
    # rounds that send pfns 1 and 3 again, the suspended state, then the
    # tail with start_info's last copy (its earlier one names a store
    # page never sent).  DOMAIN counts the 6 distinct pfns and names no
    # start_info: vCPU 0's rdx does.
    sf_put("live", lambda d: sf_header(SF_FLAG_LIVE) + d +
           sf_domain(1, 16, 8, 6, SF_NO_PFN) +
           sf_pages([(0, L4, True, None), (1, L1, True, None),
                     (2, 0, False, sf_start_info(store=7)),
                     (3, 0, False, None)]) +
           sf_pages([(3, 0, False, None), (1, 0, False, None)]) +
           sf_p2m([4]) + sf_record("SHARED_INFO", bytes(SF_PAGE)) +
           sf_vcpu(0, 1, 2, 0) +
           sf_pages([(2, 0, False, sf_start_info(store=5)),
                     (4, 0, False, None), (5, 0, False, None)]))


if __name__ == "__main__":
    ctl_frame_seeds()
    dom0_ctl_seeds()
    rpc_seeds()
    def_seeds()
    xen_elf_seeds()
    xenstore_seeds()
    savefile_seeds()
