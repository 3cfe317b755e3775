# A live migration's stream, from a save file, sent to a target xmd as
# a source would (xm-save(5), "Live streams"; xmd/migrate_in.c):
#
#	livestream.py SOCKET SAVEFILE MODE
#
# The file's pages become two pre-copy rounds and a tail: the first
# round holds every page, some of them stale (another type, pinned or
# not, other contents), the second round the right copies of some, the
# tail the right copies of start_info, a page table and a few more.
# MODE: ok (prepare, receive in chunks, finish, commit), damaged (a
# byte of the tail changed: finish refuses it), badword (a pre-copy
# word names a pfn past the p2m), gone (the connection closes half
# way).  Prints each answer's error message, or "committed".
import json
import socket
import struct
import sys
import zlib

END = 0xffffffff
PAGES, DOMAIN, DEFINITION = 3, 2, 1
PFN = (1 << 52) - 1
PINNED = 1 << 59


def pad8(n):
    return (n + 7) & ~7


def records(b):
    off, out = 16, []
    while True:
        t, n = struct.unpack_from('<II', b, off)
        if t == END:
            return out
        out.append((t, b[off + 8:off + 8 + n]))
        off += 8 + pad8(n)


def rec(t, p):
    return struct.pack('<II', t, len(p)) + p + b'\0' * (pad8(len(p)) - len(p))


def pages_recs(pages):
    out = b''
    for i in range(0, len(pages), 15):
        batch = pages[i:i + 15]
        out += rec(PAGES, struct.pack('<II', len(batch), 0) +
                   b''.join(struct.pack('<Q', w) for w, _ in batch) +
                   b''.join(p for _, p in batch))
    return out


def live_stream(b, mode):
    recs = records(b)
    pages = []
    for t, p in recs:
        if t == PAGES:
            n = struct.unpack_from('<I', p)[0]
            ws = struct.unpack_from('<%dQ' % n, p, 8)
            for i, w in enumerate(ws):
                at = 8 + 8 * n + 4096 * i
                pages.append((w, p[at:at + 4096]))
    dom = [p for t, p in recs if t == DOMAIN][0]
    nv, pad, maxp, nr, tot, si = struct.unpack('<IIQQQQ', dom)
    tables = [k for k, (w, _) in enumerate(pages) if 1 <= w >> 60 <= 4]
    data = [k for k, (w, _) in enumerate(pages)
            if w >> 60 == 0 and w & PFN != si]
    stale = b'\xaa' * 4096
    r1, r2, tail = list(pages), [], []
    for k in data[::3]:		# stale, then right in round 2
        r1[k] = (pages[k][0], stale)
        r2.append(pages[k])
    for k in data[1::7]:		# right in both rounds and the tail
        r2.append(pages[k])
        tail.append(pages[k])
    t0, t1 = tables[0], tables[-1]
    r1[t0] = (pages[t0][0] & PFN, stale)	# not a table, then one
    tail.append(pages[t0])
    r1[t1] = (pages[t1][0] ^ PINNED, stale)	# its pin changed
    r2.append(pages[t1])
    k = [k for k, (w, _) in enumerate(pages) if w & PFN == si][0]
    r1[k] = (pages[k][0], stale)
    tail.append(pages[k])
    if mode == 'badword':
        r2.append((nr, stale))
    out = b'XM-SAVE\n' + struct.pack('<II', 1, 1)
    out += rec(DEFINITION, [p for t, p in recs if t == DEFINITION][0])
    out += rec(DOMAIN, struct.pack('<IIQQQQ', nv, pad, maxp, nr, tot,
                                   (1 << 64) - 1))
    out += pages_recs(r1) + pages_recs(r2)
    for t, p in recs:
        if t not in (DEFINITION, DOMAIN, PAGES):
            out += rec(t, p)
    out += pages_recs(tail)
    out += struct.pack('<IIII', END, 8, zlib.crc32(out), 0)
    if mode == 'damaged':
        out = bytearray(out)
        out[len(out) - 100] ^= 1
        out = bytes(out)
    return out


def main():
    sock, path, mode = sys.argv[1:4]
    b = open(path, 'rb').read()
    d = [p for t, p in records(b) if t == DEFINITION][0].decode()
    name = d.split('<name>')[1].split('</name>')[0]
    uuid = d.split('<uuid>')[1].split('</uuid>')[0]
    stream = live_stream(b, mode)
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    f = s.makefile('rb')
    ids = [0]

    def call(method, params):
        ids[0] += 1
        s.sendall((json.dumps({'jsonrpc': '2.0', 'id': ids[0],
                               'method': method, 'params': params}) +
                   '\n').encode())
        a = json.loads(f.readline())
        if 'error' in a:
            print('error:', a['error']['message'])
            sys.exit(0)
        return a['result']

    call('migration.prepare', {'name': name, 'uuid': uuid, 'live': True})
    step = 70001		# cuts records anywhere
    for at in range(0, len(stream), step):
        if mode == 'gone' and at > len(stream) // 2:
            s.close()
            print('closed')
            return
        chunk = stream[at:at + step]
        call('migration.receive', {'bytes': len(chunk)})
        s.sendall(chunk)
    r = call('migration.finish', {})
    print('finished:', r.get('state'))
    call('migration.commit', {})
    print('committed')


main()
