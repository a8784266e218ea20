"""A tiny static host for the web-performance gates: gzip for text types and cache headers, as a real host serves.

Lighthouse scores transfer sizes and caching; Python's `http.server` sends neither compression nor
cache headers, which no static host (GitHub Pages, Netlify, nginx) does.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from support import serve_folder

COMPRESSED = {"text/html", "text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml",
              "application/xml", "text/xml", "application/atom+xml", "text/plain"}  # fmt: skip


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".xml": "application/xml",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        if not path.is_file() or content_type not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)

    def end_headers(self) -> None:
        if not any(line.startswith(b"Cache-Control") for line in getattr(self, "_headers_buffer", [])):
            self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


class _Body:
    """What `copyfile` reads from: the compressed body."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        chunk, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return chunk

    def close(self) -> None:
        pass


@contextlib.contextmanager
def serve_gzip(folder: Path, port: int = 0) -> Iterator[str]:
    """`folder` served with gzip on 127.0.0.1 and `port` (a free one by default), for as long as the context lasts."""
    with serve_folder(folder, port, GzipHandler) as url:
        yield url


def _serve_until_gone(folder: Path, port: int, watched: int) -> None:
    """Serve `folder` on `port` until the process `watched` (the test run) has ended."""
    import os
    import time

    with serve_gzip(folder, port):
        print("serving", flush=True)
        while True:
            try:
                os.kill(watched, 0)
            except ProcessLookupError:
                return
            time.sleep(0.5)


if __name__ == "__main__":  # python tests/static_host.py FOLDER PORT PID: the run's site server (conftest.py)
    import sys

    _serve_until_gone(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
