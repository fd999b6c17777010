#!/usr/bin/env python3
"""Build the statements site: `python build.py [build|serve|new|check|import] --help`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
COMMANDS = ("build", "serve", "new", "check", "import")
# The import names of pyproject.toml's dependencies: without one, the command says how to install them.
LIBRARIES = {"jinja2", "markdown", "yaml", "frontmatter", "anyascii", "nh3", "watchdog", "pagefind", "cbor2"}


def _base_url(value: str) -> str:
    from statement_archive.config import BASE_URL_HINT, base_url_mistake

    mistake = base_url_mistake(value)
    if mistake:
        raise argparse.ArgumentTypeError(f"{mistake} ({BASE_URL_HINT})")
    return value


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", metavar="DIR", help="output folder (default: output_dir in site.yaml)")
    parser.add_argument("--base-url", metavar="URL", type=_base_url,
                        help="base URL, e.g. / or /archive/ or https://example.org/ (default: base_url in site.yaml)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--quiet", action="store_true", help="print only problems: no progress, no summary line")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the static site of official statements from content/.",
        epilog="Without a command, build. Run 'build.py COMMAND --help' for each command.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = sub.add_parser("build", help="build the site into the output folder (the default)",
                           description="Build the site into the output folder and print one summary line.")
    _site_options(build)
    serve = sub.add_parser("serve", help="build, serve on http://127.0.0.1:8000 and rebuild on changes",
                           description="Build the site, serve it on http://127.0.0.1:8000 and rebuild when a file "
                                       "under content/ or templates/, or site.yaml, changes.")
    _site_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="port to serve on (default: 8000)")
    check = sub.add_parser("check", help="validate every file without writing anything",
                           description="Load and validate every statement and registry file; report every problem.")
    _site_options(check)
    new = sub.add_parser("new", help='write a new statement file: new "Title"',
                         description="Write content/statements/<date>-<slug>.md with the front matter ready to fill. "
                                     "Never overwrites a file.")
    new.add_argument("title", help="the statement's title")
    new.add_argument("--date", help="the statement's date, YYYY-MM-DD (default: today)")
    importer = sub.add_parser("import", help="turn the text of a published article into a draft statement file",
                              description="Clean the text of each article (as copied from its web page), suggest its "
                                          "front matter from the text and the registry, and write "
                                          "content/statements/<date>-<slug>.md with every guess marked. Never "
                                          "overwrites a file.")
    importer.add_argument("files", nargs="+", metavar="FILE", help="a text file with one article; '-' reads standard input")
    importer.add_argument("--dry-run", action="store_true", help="print the draft instead of writing it")
    return parser


OPTIONS_WITH_VALUES = ("--output", "--base-url", "--port", "--date")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = make_parser()
    # Options written before the command ("--quiet check", as the README's "also on check" invites) go after it.
    at = 0
    while at < len(argv) and argv[at].startswith("-") and argv[at] not in ("-h", "--help"):
        at += 2 if argv[at] in OPTIONS_WITH_VALUES else 1
    if 0 < at < len(argv) and argv[at] in COMMANDS:
        argv = [argv[at]] + argv[:at] + argv[at + 1:]
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv = ["build"] + argv
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        from statement_archive import cli

        return cli.run(args, ROOT)
    except BrokenPipeError:
        # The reader of the output went away (`build.py | head -1`): what was done stands, and nothing more can
        # reach it. Python's documented way out: the standard output pointed at nothing, so that the last flush
        # at exit does not fail again with a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except ModuleNotFoundError as exc:  # run with a Python that lacks the project's libraries (pyproject.toml's)
        if (exc.name or "").split(".")[0] not in LIBRARIES:
            raise
        print(f"error: the library '{exc.name}' that the build needs is not installed for {sys.executable}. "
              "Run 'make build', 'make serve' or 'make check' (they install everything into .venv on first use), "
              "or run .venv/bin/python build.py", file=sys.stderr)
        return 1


def exit_now(status: int) -> None:
    """End the process without freeing its objects one by one: the OS takes them back at once.

    Why: a build holds millions of small objects until it ends; freeing them at exit took about
    2 s of a one-statement edit at 10,000 statements (measured), a fifth of it. Everything the
    build writes is closed by then; only the standard streams still need flushing.
    """
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)  # a profiler or coverage tool writes its report at the normal exit
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach the reader anyway
            pass
    os._exit(status or 0)


if __name__ == "__main__":
    exit_now(main())
