"""`build.py serve`: build, serve the output on 127.0.0.1, rebuild when content changes.

The server always serves the last good site. When a rebuild fails, the errors are printed
and shown in a banner at the top of every page until a rebuild succeeds.
"""

from __future__ import annotations

import functools
import html
import re
import sys
import threading
import time
import traceback
from io import BytesIO
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from .load import editors_file, passed_over
from .urls import NOT_FOUND_URL

DEBOUNCE_SECONDS = 0.3
BANNER_LINES = 20
_SKIP_LINK = re.compile(rb"""\s*<a\s[^>]*href=(["']?)#[^"'\s>]*\1[^>]*>[^<]*</a>""")  # a link to a place in its page
WARNINGS_ID = "serve-warnings"  # the list of the last build's warnings, at the top of the page
_HELD = "position:sticky;top:0;z-index:9;"
# After a banner held at the top of the window: the page scrolls to an anchor (a cited paragraph, the skip link's
# #main) as far below the banner as the page's own styles put it below the window's top; it had been under it.
# Set at once (the page's style sheet is loaded by then: a script waits for it), before the browser scrolls to the
# anchor; then again whenever the banner's height changes (the window resized, a phone turned).
_BELOW_IT = ("<script>(function (banner) { var page = document.documentElement; function below() { "
             "page.style.scrollPaddingTop = banner.offsetHeight + 'px'; } below(); new ResizeObserver(below)"
             ".observe(banner); })(document.currentScript.previousElementSibling);</script>")
# A page printed from the preview, or saved as a PDF, is the page: the banner is the preview's, and the warnings' list,
# cut at 40% of a window, had been printed above the page's header. Its own rule, as its styles are its own: the
# banner does not lean on the site's style sheet, which the failed build may be about.
_OFF_PAPER = "<style>@media print { .serve-banner { display: none; } }</style>"


class BuildState:
    """What the last rebuild said, and where its site is; shared by the rebuilding loop and the request threads.

    Where: site.yaml's `output_dir` and `base_url` may change while serving, and the server follows them once a
    build has made the site there, so that it never serves the pages at an address they do not link to."""

    def __init__(self, output: Path, base_path: str):
        self.lock = threading.Lock()
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.output, self.base_path = output, base_path

    def set_errors(self, errors: list[str], warnings: list[str] = ()) -> None:
        """What the last build said: its errors (it failed), else its warnings (it built the site)."""
        with self.lock:
            self.errors, self.warnings = list(errors), list(warnings)

    def move(self, output: Path, base_path: str) -> bool:
        """Serve the site at `output` under `base_path` from now on; whether either changed."""
        with self.lock:
            moved = (output, base_path) != (self.output, self.base_path)
            self.output, self.base_path = output, base_path
        return moved

    def where(self) -> tuple[Path, str]:
        with self.lock:
            return self.output, self.base_path

    def banner(self, site: bool = True) -> bytes:
        """At the top of every page: the last build's errors, or else its warnings, which an editor would
        otherwise see only in a terminal scrolled away ("not read: ..." of a file in the wrong folder, say).
        `site`: whether a good site is served under it (not before the first build that succeeds)."""
        with self.lock:
            errors, warnings = list(self.errors), list(self.warnings)
        if not errors and not warnings:
            return b""
        shown = errors or warnings
        items = "".join(f"<li>{html.escape(line)}</li>" for line in shown[:BANNER_LINES])
        if len(shown) > BANNER_LINES:
            items += f"<li>and {len(shown) - BANNER_LINES} more: the terminal has them all</li>"
        # Held at the top of the window (sticky), not only at the top of the page: an editor reloads a page read
        # part way down, or at its top, and the browser keeps the words that were in view where they were, so a
        # banner that came since was above the window, out of sight, with the stale page looking as good as new.
        # Below the skip link (z-index 10). Sticky, it takes its place above the page's header, which it covers
        # only once that has scrolled away; and the page's anchors (a paragraph's #p5) are scrolled to below it.
        if not errors:
            # The site was built, and is read as usual: only the line that says so is held in view (a list held
            # there too took 393 px of a phone's 667); the list stays at the top of the page, a link away, and
            # scrolls inside its box, within 40% of the window, so that the page's header is in view under it.
            return (
                f'{_OFF_PAPER}<div role="status" class="serve-banner" style="{_HELD}background:#fff3c4;color:#1b1b1b;'
                'padding:0.5rem 1rem;border-bottom:1px solid #8a6d00;font:14px/1.4 monospace">'
                f"<strong>The last build has {len(warnings)} warning(s); the site was built.</strong> "
                f'<a href="#{WARNINGS_ID}" style="color:#0b4f8a">See them</a></div>{_BELOW_IT}'
                f'<div id="{WARNINGS_ID}" class="serve-banner" style="max-height:40vh;overflow:auto;background:#fff3c4;'
                f'color:#1b1b1b;padding:0 1rem 0.5rem;font:14px/1.4 monospace"><ul style="margin:0">{items}</ul></div>'
            ).encode("utf-8")
        # A failed rebuild's errors are held in view whole: the page under them is stale. Long lists scroll inside it,
        # within 40% of the window, rather than hide the page.
        return (
            f'{_OFF_PAPER}<div role="alert" class="serve-banner" style="{_HELD}max-height:40vh;overflow:auto;'
            'background:#7a0000;color:#fff;padding:1rem;font:14px/1.4 monospace">'
            f"<strong>{'The last rebuild failed; this is the last good site.' if site else 'The build failed.'}"
            f"</strong><ul>{items}</ul></div>{_BELOW_IT}"
        ).encode("utf-8")


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A reader's browser that closes a connection early (a page left while a large file loads) is no error: it
        had printed a traceback of some 25 lines into the terminal, where the builds' messages are."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, state: BuildState, **kwargs):
        self.output, self.base_path = state.where()
        self.state = state
        super().__init__(*args, directory=str(self.output), **kwargs)

    def log_message(self, format, *args):  # keep the terminal for build messages
        pass

    def end_headers(self):
        # Every answer is asked for again: Python's server gives a file's Last-Modified and nothing more, and a browser
        # then keeps a page for a tenth of its age without asking (a page built yesterday, some two hours), so that a
        # link followed after a rebuild showed the page as it was, and no banner. A preview is read as it is now.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

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
                                        b"</head><body><p>Nothing to serve yet: no build has succeeded.</p></body></html>",
                                        site=False)
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def with_banner(self, body: bytes, site: bool = True) -> bytes:
        banner = self.state.banner(site)
        if banner and b"<body" in body:
            start = body.index(b"<body")
            end = body.index(b">", start) + 1
            # After the page's skip link, if it begins with one: the first key a keyboard's reader presses, Tab, is
            # for it still, not for the banner's link or its list (which takes Tab to scroll it).
            skip = _SKIP_LINK.match(body, end)
            end = skip.end() if skip else end
            body = body[:end] + banner + body[end:]
        return body

    def list_directory(self, path):
        """A folder with no index.html is not found, as on a host (most do not list folders): a link to one must
        not seem to work here."""
        self.send_error(404)
        return None

    def send_head(self):
        bare = self.path.split("?", 1)[0].split("#", 1)[0]
        segments = unquote(bare).split("/")
        if not self.path.startswith(self.base_path) or any(s.startswith(".") for s in segments):
            # Pages are served under the base path only, as where the site is hosted: a link that leaves it
            # out works nowhere but here, and must not seem to. Nor a dot-file (the output's marker file), which
            # the README tells hosts to refuse.
            self.send_error(404)
            return None
        path = self.translate_path(self.path)
        if Path(path).is_dir() and bare.endswith("/"):  # "/search/?q=Markov" too, the search form's results
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


WATCHED_FOLDERS = ("content", "templates")
WATCHED_FILES = ("site.yaml",)
RECHECK_SECONDS = 1.0  # how often the watched folders are looked at for having been replaced


class _Changes(FileSystemEventHandler):
    """Sets `flag` when a file the build reads may have changed: under content/ or templates/, or site.yaml; not
    for the names the build passes over in content/ (load.passed_over: editors' swap and backup files, hidden
    files, drafts), nor editors' files among the templates, which an editor's program writes as one types."""

    def __init__(self, root: Path, flag: threading.Event):
        self.roots = (root.absolute(), root.resolve())  # as the events give paths, and with links followed
        self.flag = flag

    def on_any_event(self, event):
        if event.event_type not in CHANGE_EVENTS:
            return
        if event.is_directory and event.event_type == "modified":  # a file made or removed in it: its own event says
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]  # a file moved away counts as much as one moved in
        if any(self.read_by_the_build(str(path)) for path in paths if path):
            self.flag.set()

    def read_by_the_build(self, path: str) -> bool:
        for root in self.roots:
            try:
                parts = Path(path).relative_to(root).parts  # content/ may be a link: not resolved first
                break
            except ValueError:
                continue
        else:
            return False
        if not parts:
            return False
        if parts[0] == "content":
            return not any(passed_over(part) for part in parts[1:])
        if parts[0] == "templates":  # "_cards.html" is a template the others include: only editors' files are not
            return not any(editors_file(part) for part in parts[1:])
        return len(parts) == 1 and parts[0] in WATCHED_FILES


def _identity(folder: Path) -> tuple | None:
    try:
        found = folder.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, as the message to give, or None: asked before the first build,
    which would otherwise run in full before it failed."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as ThreadingHTTPServer does
        try:
            probe.bind((host, port))
        except OSError as exc:
            return (f"error: cannot serve on {host}:{port}: {exc.strerror or exc}; choose another port: "
                    f"build.py serve --port {port + 1}, or make serve PORT={port + 1}")
    return None


def serve(root: Path, output: Path, base_path: str, rebuild, host: str = "127.0.0.1", port: int = 8000,
          errors: list[str] = (), warnings: list[str] = ()) -> None:
    """Serve `output` under `base_path` and call `rebuild()` after each change. It returns the error lines, the
    warning lines, and the output folder and base path of the site it built, or None when it built none (the
    last one stays).

    `errors` and `warnings` are those of the first build, shown until the next."""
    state = BuildState(output, base_path)
    state.set_errors(errors, warnings)
    try:
        server = _Server((host, port), functools.partial(_Handler, state=state))
    except OSError:
        raise SystemExit(port_problem(host, port) or f"error: cannot serve on {host}:{port}") from None
    changed = threading.Event()
    observer = Observer()
    handler = _Changes(root, changed)
    watches: dict[str, object] = {}
    identities = {folder: _identity(root / folder) for folder in WATCHED_FOLDERS}

    def watch_folder(folder: str) -> None:
        old = watches.pop(folder, None)
        if old is not None:
            try:
                observer.unschedule(old)
            except (KeyError, OSError):
                pass  # its folder is gone, and its watch with it
        if (root / folder).is_dir():
            watches[folder] = observer.schedule(handler, str(root / folder), recursive=True)

    for folder in WATCHED_FOLDERS:
        watch_folder(folder)
    observer.schedule(handler, str(root), recursive=False)
    observer.start()
    rebuilding = threading.Event()

    def watch():
        while True:
            if not changed.wait(RECHECK_SECONDS):
                # A folder removed and made again (restored from a copy, say) is another folder: its old watch
                # sees nothing more. So is one that was missing when serving began.
                for folder in WATCHED_FOLDERS:
                    now = _identity(root / folder)
                    if now != identities[folder]:
                        identities[folder] = now
                        watch_folder(folder)
                        changed.set()
                continue
            time.sleep(DEBOUNCE_SECONDS)
            while changed.is_set():
                changed.clear()
                time.sleep(DEBOUNCE_SECONDS)
            rebuilding.set()
            try:
                errors, warnings, site = rebuild()
                state.set_errors(errors, warnings)
                if site and state.move(*site):
                    print(f"Now serving http://{host}:{port}{site[1]} (site.yaml changed)", flush=True)
            except Exception as exc:  # keep watching and serving the last good site whatever happened
                traceback.print_exc()
                state.set_errors([f"the rebuild stopped with an internal error: {exc!r}; please report it"])
            rebuilding.clear()  # not after Ctrl-C (a KeyboardInterrupt), which the message below tells of

    # Rebuilds run in the main thread, where Ctrl-C lands: a build interrupted there stops its Pagefind runs and
    # removes its staging and scratch folders, as on the command line. In a thread of its own, it had been cut
    # off as the program ended, and left them (a scratch folder in memory, until a later build's search index).
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving http://{host}:{port}{base_path} (Ctrl-C to stop); rebuilding on changes to content/, templates/, site.yaml", flush=True)
    try:
        watch()
    except KeyboardInterrupt:
        if rebuilding.is_set():
            print("\nStopped during a rebuild. The published site is whole: the one before it, or the new one if it "
                  "was already published; build again (or start serve) to publish the last changes.")
        else:
            print("\nStopped.")
    finally:
        observer.stop()
        server.shutdown()
        server.server_close()
