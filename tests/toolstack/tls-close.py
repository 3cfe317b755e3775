"""How a TLS connection of xm's ends: with a close_notify alert (the
end was meant) or cut (TCP closed under it, which a truncation attack
looks like).  Python's ssl tells them apart once ragged EOFs are not
suppressed.

  tls-close.py server CERT KEY PORTFILE
      A stand-in for xmd, for xmctl: one TLS connection on 127.0.0.1
      (its port into PORTFILE); each JSON-RPC request line is answered
      with the result [] (auth.token's is not read, domain.list's is an
      empty list); then prints how the client ended it.
  tls-close.py client CA PORT LINE
      Sends LINE to xmd over TLS, prints what comes back, then how xmd
      ended the connection.
"""
import json
import socket
import ssl
import sys


def ending(s):
    """Read to the end: 'close_notify' or 'cut'; what came, printed."""
    buf = b""
    try:
        while True:
            data = s.recv(65536)
            if not data:
                return buf, "close_notify"
            buf += data
    except ssl.SSLEOFError:
        return buf, "cut"
    except (ConnectionResetError, BrokenPipeError):
        return buf, "cut"


def server(cert, key, portfile):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(1)
    lst.settimeout(30)
    with open(portfile, "w") as f:
        f.write("%d\n" % lst.getsockname()[1])
    conn, _ = lst.accept()
    conn.settimeout(30)
    s = ctx.wrap_socket(conn, server_side=True, suppress_ragged_eofs=False)
    pending = b""
    try:
        while True:
            data = s.recv(65536)
            if not data:
                print("close_notify")
                return
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                req = json.loads(line)
                print("request", req.get("method"))
                s.sendall(json.dumps({"jsonrpc": "2.0", "id": req["id"],
                                      "result": []}).encode() + b"\n")
    except (ssl.SSLEOFError, ConnectionResetError):
        print("cut")


def client(ca, port, line):
    ctx = ssl.create_default_context(cafile=ca)
    conn = socket.create_connection(("127.0.0.1", int(port)), timeout=30)
    s = ctx.wrap_socket(conn, server_hostname="127.0.0.1",
                        suppress_ragged_eofs=False)
    s.sendall(line.encode() + b"\n")
    buf, how = ending(s)
    sys.stdout.write(buf.decode(errors="replace"))
    print(how)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(*sys.argv[2:5])
    else:
        client(*sys.argv[2:5])
