"""`parties fetch` against a local HTTP server on 127.0.0.1 (started and stopped by
each test, in a thread): a good file, a failing server, a shrinking list, a timeout."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import Result

from chipclass.parties import load_list

HERE = Path(__file__).parent / "parties"
SMALL_CSV = (HERE / "consolidated-small.csv").read_bytes()
RunCli = Callable[..., Result]


class Server:
    """What the loopback server answers: path -> (status, body, delay in seconds)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, float]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body, delay = routes.get(self.path, (404, b"not found", 0.0))
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}{path}"


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    running.thread.start()
    try:
        yield running
    finally:
        running.httpd.shutdown()
        running.httpd.server_close()
        running.thread.join(timeout=5)


def test_a_good_file_is_fetched(run: RunCli, server: Server, tmp_path: Path) -> None:
    server.routes["/consolidated.csv"] = (200, SMALL_CSV, 0.0)
    target = tmp_path / "csl.jsonl"
    url = server.url("/consolidated.csv")
    result = run("parties", "fetch", url, "-o", str(target), "--timeout", "10")
    assert result.exit_code == 0, result.stderr
    snapshot = load_list(target)
    assert len(snapshot.entries) == 4
    assert snapshot.manifest is not None and snapshot.manifest.url == url
    assert snapshot.manifest.source_file == "consolidated.csv"
    assert [p.name for p in tmp_path.iterdir()] == ["csl.jsonl"]


def test_a_failing_server_keeps_the_previous_snapshot(
    run: RunCli, server: Server, tmp_path: Path
) -> None:
    server.routes["/good.csv"] = (200, SMALL_CSV, 0.0)
    server.routes["/broken.csv"] = (500, b"oops", 0.0)
    server.routes["/garbage.csv"] = (200, b"<html>maintenance</html>\n", 0.0)
    target = tmp_path / "csl.jsonl"
    assert run("parties", "fetch", server.url("/good.csv"), "-o", str(target)).exit_code == 0
    before = target.read_bytes()
    broken = run("parties", "fetch", server.url("/broken.csv"), "-o", str(target))
    assert broken.exit_code == 2
    assert "HTTP 500" in broken.stderr and "kept as it was" in broken.stderr
    garbage = run("parties", "fetch", server.url("/garbage.csv"), "-o", str(target))
    assert garbage.exit_code == 2 and "not a CSL download" in garbage.stderr
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["csl.jsonl"]


def test_a_shrinking_list_is_refused_unless_allowed(
    run: RunCli, server: Server, tmp_path: Path
) -> None:
    lines = SMALL_CSV.decode().splitlines(keepends=True)
    server.routes["/full.csv"] = (200, SMALL_CSV, 0.0)
    server.routes["/shrunk.csv"] = (200, "".join(lines[:3]).encode(), 0.0)  # 2 of 4 rows
    target = tmp_path / "csl.jsonl"
    assert run("parties", "fetch", server.url("/full.csv"), "-o", str(target)).exit_code == 0
    before = target.read_bytes()
    shrunk = run("parties", "fetch", server.url("/shrunk.csv"), "-o", str(target))
    assert shrunk.exit_code == 1
    assert "all lists: 4 -> 2 entries (50.0 % fewer)" in shrunk.stderr
    assert "Denied Persons List (DPL) - Bureau of Industry and Security: 1 -> 0" in shrunk.stderr
    assert "--allow-shrink" in shrunk.stderr
    assert target.read_bytes() == before
    allowed = run(
        "parties", "fetch", server.url("/shrunk.csv"), "-o", str(target), "--allow-shrink"
    )
    assert allowed.exit_code == 0
    assert len(load_list(target).entries) == 2


def test_a_slow_server_times_out(run: RunCli, server: Server, tmp_path: Path) -> None:
    server.routes["/slow.csv"] = (200, SMALL_CSV, 2.0)
    target = tmp_path / "csl.jsonl"
    started = time.monotonic()
    result = run("parties", "fetch", server.url("/slow.csv"), "-o", str(target), "--timeout", "0.3")
    assert time.monotonic() - started < 2.0
    assert result.exit_code == 2
    assert "timed out" in result.stderr
    assert not target.exists()


def test_only_http_urls(run: RunCli, tmp_path: Path) -> None:
    result = run("parties", "fetch", "file:///etc/passwd", "-o", str(tmp_path / "x.jsonl"))
    assert result.exit_code == 2
    assert "only http:// and https://" in result.stderr
