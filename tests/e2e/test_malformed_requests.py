"""SPEC §8: no request, however malformed, logs a traceback (real `ksales serve`, raw bytes on a socket).

Found by issue 9: a chunked body that breaks HTTP got a 400, and the log got an ERROR and two tracebacks.
"""

from __future__ import annotations

import signal
import socket
from pathlib import Path

import httpx

from tests.e2e.processes import clean_env, free_port, ksales, run, stop, wait_for

MALFORMED = [
    b"POST /api/summary HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    b"ZZZ\r\nbad\r\n",
    b"GET /api/summary HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcde",
    b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40,  # a TLS hello on the plain port
    b"POST /api/summary HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nshort",  # then the client leaves
    b"GET /api/summary HTTP/1.1\r\nHost: x\r\nX-Bad: a\r\n b\r\n\r\n",
    b"GET /api/summary?period=" + b"%ff" * 3000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
]


def send_raw(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
    return b"".join(chunks)


def test_malformed_requests_log_no_traceback(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "data")
    assert run("demo", "--orders", "200", env=env).returncode == 0
    port = free_port()
    server = ksales("serve", "--port", str(port), env=env)
    try:
        wait_for(f"http://127.0.0.1:{port}", server, timeout=60)
        for payload in MALFORMED * 3:
            reply = send_raw(port, payload)
            assert not reply.startswith(b"HTTP/1.1 500"), reply[:200]
        assert httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).status_code == 200
    finally:
        log = stop(server)
    assert server.returncode in (0, -signal.SIGTERM), log[-3000:]
    assert "Traceback" not in log, log[-6000:]
    assert " ERROR " not in log, log[-6000:]
