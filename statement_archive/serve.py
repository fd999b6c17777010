"""`build.py serve`: build, serve the output on 127.0.0.1, rebuild when content changes.

The server always serves the last good site. When a rebuild fails, the errors are printed
and shown in a banner at the top of every page until a rebuild succeeds.
"""

from __future__ import annotations

import functools
import html
import threading
import time
import traceback
from io import BytesIO
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from .urls import NOT_FOUND_URL

DEBOUNCE_SECONDS = 0.3


class BuildState:
    """What the last rebuild said, and where its site is; shared by the watcher thread and the request handlers.

    Where: site.yaml's `output_dir` and `base_url` may change while serving, and the server follows them once a
    build has made the site there, so that it never serves the pages at an address they do not link to."""

    def __init__(self, output: Path, base_path: str):
        self.lock = threading.Lock()
        self.errors: list[str] = []
        self.output, self.base_path = output, base_path

    def set_errors(self, errors: list[str]) -> None:
        with self.lock:
            self.errors = list(errors)

    def move(self, output: Path, base_path: str) -> bool:
        """Serve the site at `output` under `base_path` from now on; whether either changed."""
        with self.lock:
            moved = (output, base_path) != (self.output, self.base_path)
            self.output, self.base_path = output, base_path
        return moved

    def where(self) -> tuple[Path, str]:
        with self.lock:
            return self.output, self.base_path

    def banner(self) -> bytes:
        with self.lock:
            if not self.errors:
                return b""
            items = "".join(f"<li>{html.escape(e)}</li>" for e in self.errors)
        return (
            '<div role="alert" style="background:#7a0000;color:#fff;padding:1rem;font:14px/1.4 monospace">'
            f"<strong>The last rebuild failed; this is the last good site.</strong><ul>{items}</ul></div>"
        ).encode("utf-8")


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, state: BuildState, **kwargs):
        self.output, self.base_path = state.where()
        self.state = state
        super().__init__(*args, directory=str(self.output), **kwargs)

    def log_message(self, format, *args):  # keep the terminal for build messages
        pass

    def translate_path(self, path):
        if self.base_path != "/" and path.startswith(self.base_path):
            path = "/" + path[len(self.base_path):]
        return super().translate_path(path)

    def do_GET(self):
        if self._to_base_path():
            return
        super().do_GET()

    def do_HEAD(self):
        if self._to_base_path():
            return
        super().do_HEAD()

    def _to_base_path(self) -> bool:
        """The server's root, or the base path without its final slash, leads to the site's home page."""
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if self.base_path == "/" or path not in ("/", self.base_path.rstrip("/")):
            return False
        self.send_response(302)
        self.send_header("Location", self.base_path)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True

    def send_error(self, code, message=None, explain=None):
        page = self.output / NOT_FOUND_URL
        if code == 404 and (page.is_file() or self.state.banner()):
            if page.is_file():
                body = self.with_banner(page.read_bytes())
            else:  # no good build yet: the errors are the page
                body = self.with_banner(b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Build failed</title>"
                                        b"</head><body><p>Nothing to serve yet: no build has succeeded.</p></body></html>")
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def with_banner(self, body: bytes) -> bytes:
        banner = self.state.banner()
        if banner and b"<body" in body:
            start = body.index(b"<body")
            end = body.index(b">", start) + 1
            body = body[:end] + banner + body[end:]
        return body

    def send_head(self):
        if not self.path.startswith(self.base_path):
            # Pages are served under the base path only, as where the site is hosted: a link that leaves it
            # out works nowhere but here, and must not seem to.
            self.send_error(404)
            return None
        path = self.translate_path(self.path)
        if Path(path).is_dir() and self.path.endswith("/"):
            path = str(Path(path) / "index.html")
        if path.endswith(".html") and Path(path).is_file() and self.state.banner():
            body = self.with_banner(Path(path).read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return BytesIO(body)
        return super().send_head()


# Watchdog event types that mean a file changed. Newer watchdog releases also report a file
# being opened or closed after reading ("opened", "closed_no_write"); every build reads the
# watched files, so reacting to those rebuilt the site over and over with nothing changed.
CHANGE_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed"})


class _Changes(FileSystemEventHandler):
    def __init__(self, root: Path, flag: threading.Event):
        self.root = root
        self.flag = flag

    def on_any_event(self, event):
        if event.event_type not in CHANGE_EVENTS:
            return
        path = Path(str(getattr(event, "dest_path", "") or event.src_path))
        try:
            rel = path.resolve().relative_to(self.root)
        except ValueError:
            return
        if rel.parts and (rel.parts[0] in ("content", "templates") or rel.as_posix() == "site.yaml"):
            self.flag.set()


def serve(root: Path, output: Path, base_path: str, rebuild, host: str = "127.0.0.1", port: int = 8000,
          errors: list[str] = ()) -> None:
    """Serve `output` under `base_path` and call `rebuild()` after each change. It returns the error lines, and
    the output folder and base path of the site it built, or None when it built none (the last one stays).

    `errors` are those of the first build, shown until a rebuild succeeds."""
    state = BuildState(output, base_path)
    state.set_errors(errors)
    try:
        server = ThreadingHTTPServer((host, port), functools.partial(_Handler, state=state))
    except OSError as exc:
        raise SystemExit(f"error: cannot serve on {host}:{port}: {exc.strerror or exc}; choose another with --port")
    changed = threading.Event()
    observer = Observer()
    handler = _Changes(root.resolve(), changed)
    for folder in ("content", "templates"):
        if (root / folder).is_dir():
            observer.schedule(handler, str(root / folder), recursive=True)
    observer.schedule(handler, str(root), recursive=False)
    observer.start()

    def watch():
        while True:
            changed.wait()
            time.sleep(DEBOUNCE_SECONDS)
            while changed.is_set():
                changed.clear()
                time.sleep(DEBOUNCE_SECONDS)
            try:
                errors, site = rebuild()
                state.set_errors(errors)
                if site and state.move(*site):
                    print(f"Now serving http://{host}:{port}{site[1]} (site.yaml changed)", flush=True)
            except Exception as exc:  # keep watching and serving the last good site whatever happened
                traceback.print_exc()
                state.set_errors([f"the rebuild stopped with an internal error: {exc!r}; please report it"])

    threading.Thread(target=watch, daemon=True).start()
    print(f"Serving http://{host}:{port}{base_path} (Ctrl-C to stop); rebuilding on changes to content/, templates/, site.yaml", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        observer.stop()
        server.server_close()
