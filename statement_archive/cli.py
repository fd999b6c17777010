"""What each command of build.py does; the one place that prints problems.

The other modules are imported where a command needs them: a build that finds nothing changed
(nochange.py) is done before the pipeline, `model.py`'s dataclasses or the URL helpers load.
"""

from __future__ import annotations

import gc
import signal
import sys
import threading
import time
from pathlib import Path

from .config import load_config, placeholder_host


def report(problems: list, stream=None) -> None:
    """Print every Problem, sorted by file and line, to stderr (looked up now, so it can be redirected)."""
    for problem in sorted(problems):
        print(problem.format(), file=stream or sys.stderr)


def _errors(problems) -> list:
    if not problems:
        return []
    from .model import ERROR

    return [p for p in problems if p.severity == ERROR]


GONE_SHOWN = 10  # pages named in the note on pages a build no longer makes


def run_build(args, root: Path, quiet: bool = False, host_notes: bool = True) -> tuple[int, list[str]]:
    """Build once; return the exit status and the problem lines (for serve's banner). `host_notes`: say what is
    wrong with base_url's host for publishing (serve says it at its first build, not at every rebuild)."""
    started = time.perf_counter()
    config, problems = load_config(root, args.output, args.base_url)
    if _errors(problems):
        from .config import stated_output

        report(problems)
        print(failed(len(_errors(problems)), stated_output(root, args.output)), file=sys.stderr)
        return 1, [p.format() for p in problems]
    try:
        # Nothing changed since the last build: done, before the heavy stages are even imported.
        from .nochange import Unchanged, build_key, unchanged_build

        # The inputs' identities, taken once before anything is read: the check and the build share them.
        key = build_key(config, args.strict)
        result = unchanged_build(config, args.strict, key)
        if result is None:
            from .cache import CACHE_DIR, TextLost
            from .incremental import Progress, Quiet
            from .pipeline import build_site
            from .write import OutputRefused, PublishedThenFailed

            progress = Quiet() if quiet or getattr(args, "quiet", False) else Progress()
            try:
                result = build_site(config, strict=args.strict, progress=progress, key=key)
            except (OutputRefused, PublishedThenFailed) as exc:
                print(f"error: {exc}", file=sys.stderr)
                print(f"Build failed: 1 error(s) after the new site was published in {config.output}."
                      if isinstance(exc, PublishedThenFailed) else failed(1, config.output, site=False),
                      file=sys.stderr)
                return 1, [str(exc)]
            except TextLost:  # the texts the cache holds for this build went away under it
                message = (f"error: the build cache in {root / CACHE_DIR} changed while this build was using it "
                           "(was another build running?): build again")
                print(message, file=sys.stderr)
                print(failed(1, config.output), file=sys.stderr)
                return 1, [message]
    except OSError as exc:  # disk full, no permission: the staging folder is gone, the site untouched (`failed` says so)
        from .cache import CACHE_DIR, SpoolFailed

        cache, then = root / CACHE_DIR, ""
        if isinstance(exc, SpoolFailed):
            where = f"the build's temporary file in {exc.filename}"
        elif exc.filename and Path(exc.filename).is_relative_to(cache):  # a file where one of its folders should be
            where, then = f"the build's cache, {exc.filename}", f"; the cache is safe to delete: remove {root / '.cache'}"
        else:
            where = f"the site into {config.output}"
        message = f"error: could not write {where}: {exc.strerror or exc}{then}"
        print(message, file=sys.stderr)
        print(failed(1, config.output), file=sys.stderr)
        return 1, [message]
    report(list(result.problems))
    lines = [p.format() for p in result.problems]
    if not result.ok:
        print(failed(len(result.errors), config.output), file=sys.stderr)
        return 1, lines
    quietly = quiet or getattr(args, "quiet", False)
    if not quietly:
        index = result.index
        people = len(index.entities["people"])
        organisations = len(index.entities["organisations"])
        counts = (f"{len(result.pages)} pages ({len(index.statements)} statements, {people} people, "
                  f"{organisations} organisations)")
        seconds = time.perf_counter() - started
        # Up to date also when a file was saved again as it was: the build looked, and found nothing to write.
        if isinstance(result, Unchanged) or not (result.files_written or result.files_removed):
            print(f"Up to date: nothing changed since the last build of {counts} into {config.output} "
                  f"(checked in {seconds:.2f} s)")
        else:
            print(f"Built {counts} in {seconds:.2f} s into {config.output} ({result.files_written} "
                  "file(s) written besides the search index)")
        if host_notes and "://" not in config.base_url:  # a path only (base_url_mistake allows no other form)
            print(f"Note: base_url {config.base_url} has no host, so the sitemap, the feeds' ids, the JSON-LD and the "
                  "citation files give addresses without one, which search engines, feed readers and reference "
                  f"managers cannot open; to publish, build with the full address (https://…{config.base_url}).")
        elif host_notes and (placeholder := placeholder_host(config.base_url)):
            print(f"Note: base_url's host {placeholder} is a name reserved for examples, so the "
                  "sitemap, the feeds, the JSON-LD, the citation files and the canonical links point to a site that "
                  "is not there; to publish, set base_url in site.yaml (or build with --base-url) to the site's "
                  "own address.")
    gone = getattr(result, "gone", ())  # a build that found nothing to do removed nothing
    if gone:  # as a warning is, --quiet or not: a statement's file renamed '.x.md' or deleted takes its page away
        print(gone_note(gone, "of the last build are gone, and links to them now break"),
              file=sys.stderr if quietly else sys.stdout)
    return 0, lines


def _has_site(output: Path) -> bool:
    """Whether a build has made a site in the output folder (one may yet have failed there since)."""
    return (output / "index.html").exists()


def failed(errors: int, output: Path | None, site: bool = True) -> str:
    """The line every failed build ends with, whatever stopped it: content, site.yaml, the output folder, the disk.
    Said as it is: serve's first start, with errors and nothing built before, has no site to leave as it was; a
    site.yaml that cannot say where the output goes (output None) leaves no folder to name; and a folder the build
    refused (`site` false) is no site of its, whatever it holds."""
    if output is None:
        left = "nothing was written"
    elif site and _has_site(output):
        left = f"the site in {output} was left as it was"
    else:
        left = f"nothing was written to {output}"
    return f"Build failed: {errors} error(s); {left}."


def gone_note(gone, what: str) -> str:
    """The note naming pages that a build removed, or that `check` finds a build would remove."""
    from .urls import is_year_page

    shown = ", ".join("/" + url for url in gone[:GONE_SHOWN]) + (
        f" and {len(gone) - GONE_SHOWN} more" if len(gone) > GONE_SHOWN else "")
    years = " A year's page goes when no statement of that year is left, or when a person, " \
        "organisation, event, outlet or place is in no more statements than site.yaml's " \
        "entity_page_limit; a lower limit keeps theirs." if any(is_year_page(url) for url in gone) else ""
    return (f"Note: {len(gone)} page(s) {what}: {shown}. "
            "If a page moved, list its old address in the file it moved to: under 'aliases' for a "
            "statement, 'old_urls' for a person, organisation, event, outlet or place. To take a statement "
            "back, keep its file and mark it 'withdrawn' (with a date and a reason): its address stays." + years)


def run_check(args, root: Path) -> int:
    config, problems = load_config(root, args.output, args.base_url)
    refused = None
    if not _errors(problems):
        from .write import OutputRefused, check_output_dir

        try:  # as the build refuses the folder before it reads anything; the content is still checked
            check_output_dir(config.output, config.root)
        except OutputRefused as exc:
            refused = f"error: {exc}"
            print(refused, file=sys.stderr)
        # The whole build, templates included, without writing anything.
        from .pipeline import build_site

        result = build_site(config, strict=args.strict, write=False, keep_pages=False)
        problems += list(result.problems)
        if result.gone and not refused:  # before they are published: a build would say so only once they are gone
            print(gone_note(result.gone, f"of the site published in {config.output} would be gone after a build, "
                                         "and links to them would break"), file=sys.stderr)
    report(problems)
    errors = len(_errors(problems)) + bool(refused)
    warnings = len(problems) - len(_errors(problems))
    print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def run_serve(args, root: Path) -> int:
    import datetime as dt

    from .cache import code_changed_since_start
    from .serve import port_problem, serve
    from .urls import Urls

    busy = port_problem("127.0.0.1", args.port)  # before the first build, which may take a while
    if busy:
        print(busy, file=sys.stderr)
        return 1
    status, lines = run_build(args, root)
    config, _ = load_config(root, args.output, args.base_url)
    if status != 0 and not _has_site(config.output):
        print("Nothing to serve yet: fix the errors above; serving will start once a build succeeds.", file=sys.stderr)

    told = []

    def rebuild() -> tuple[list[str], list[str], tuple | None]:
        print(f"[{dt.datetime.now():%H:%M:%S}] change seen, rebuilding...", flush=True)
        if not told and code_changed_since_start():
            told.append(True)
            print("Note: the program's code changed since serve started, and serve still runs the old code; "
                  "stop it and start it again to run the new.", flush=True)
        status, lines = run_build(args, root, host_notes=False)
        errors, warnings = _banner_lines(status, lines)
        if status != 0:
            return errors, warnings, None
        config, problems = load_config(root, args.output, args.base_url)  # as this build read it, but for a change
        if _errors(problems):  # since, which the watcher has seen: the next build says what is wrong
            return errors, warnings, None
        return errors, warnings, (config.output, Urls(config.base_url).base_path)

    errors, warnings = _banner_lines(status, lines)
    serve(root, config.output, Urls(config.base_url).base_path, rebuild, port=args.port, errors=errors,
          warnings=warnings)
    return 0


def _banner_lines(status: int, lines: list[str]) -> tuple[list[str], list[str]]:
    """A build's (errors, warnings) for serve's banner: errors if it failed, else its warnings."""
    warnings = [line for line in lines if ": warning:" in line]
    return ([line for line in lines if ": warning:" not in line], warnings) if status else ([], warnings)


def run_new(args, root: Path) -> int:
    import datetime as dt

    from .newfile import AddressTaken, new_statement

    if not args.title.strip():
        print('error: the title is empty: write the statement\'s title, as in: build.py new "Zakharova on the talks"',
              file=sys.stderr)
        return 2
    from .pipeline import today_for_build
    from .validate import DATE_RE

    today = today_for_build()
    if args.date and not DATE_RE.fullmatch(args.date):
        print(f"error: --date {args.date!r} is not a date in the form YYYY-MM-DD", file=sys.stderr)
        return 2
    try:
        date = dt.date.fromisoformat(args.date) if args.date else today
    except ValueError:  # in the form, but 30 February, say: as check says it
        print(f"error: --date {args.date!r} is not a real calendar date: check the day and month", file=sys.stderr)
        return 2
    from .nochange import published_addresses

    config, problems = load_config(root)
    try:
        path = new_statement(root, args.title, date, added=today, published=published_addresses(config) if not
                             problems else None)
    except FileExistsError as exc:
        print(f"error: {Path(exc.filename).relative_to(root)} already exists; it was left untouched. "
              "Choose another title or edit that file.", file=sys.stderr)
        return 1
    except AddressTaken as taken:
        print(_address_taken(taken, "nothing was written. Run the command again with another title: the address "
                                    "comes from the file's name, and the title in the file can then be changed as "
                                    "you like."), file=sys.stderr)
        return 1
    except OSError as exc:  # a read-only folder of statements, a full disk
        print(_not_written(exc, root), file=sys.stderr)
        return 1
    print(f"Wrote {path.relative_to(root)}: fill in the front matter and paste the text, then run 'make check' (or build.py check).")
    return 0


def _address_taken(taken, what_to_do: str) -> str:
    """What `new` and `import` say when the file's address is one the site publishes for another statement."""
    return (f"error: the site publishes /{taken.address} for {taken.owner} (its address, or an old one in its "
            f"aliases), and links and citations of it lead to that statement; {what_to_do}")


def _not_written(exc: OSError, root: Path) -> str:
    """What `new` and `import` say when the file cannot be written: where, why, and what to do."""
    where = Path(exc.filename or root / "content" / "statements")
    try:
        where = where.relative_to(root)
    except ValueError:
        pass
    return (f"error: could not write {where}: {exc.strerror or exc}; nothing was written. Check that content/statements/ "
            "is writable by this user and the disk has room, then run the command again.")


def run_import(args, root: Path) -> int:
    """One draft statement per article; every guess and every key still to fill is listed."""
    from . import importer
    from .newfile import AddressTaken
    from .nochange import published_addresses
    from .pipeline import today_for_build

    today, registry, status = today_for_build(), importer.load_registry(root), 0
    config, problems = load_config(root)
    published = published_addresses(config) if not problems else None
    written: dict[Path, str] = {}  # the drafts this run wrote, and the article each came from
    for name in args.files:
        label, raw, problem = importer.read_input(name, sys.stdin.buffer)
        text, problem = importer.read_source(raw, label) if raw is not None else (None, problem)
        draft, problem = importer.draft_statement(text, registry, label) if text is not None else (None, problem)
        if problem:
            report([problem])
            status = 1
            continue
        copies = importer.archived_copies(root, draft)

        def say_copies(advice: str) -> None:  # once it is known whether a draft was written
            for copy in copies:
                print(f"warning: {label} seems to be in the archive already: {copy} holds its words. If it is the "
                      f"same statement, {advice}.", file=sys.stderr)

        if args.dry_run:
            say_copies("do not import it again")
            print(importer.render_draft(draft, today), end="")
            print(f"Dry run: nothing written for {label}. The editor would still have to:", file=sys.stderr)
            print("\n".join(importer.review_lines(draft)), file=sys.stderr)
        else:
            try:
                path = importer.write_draft(root, draft, today, published)
            except FileExistsError as exc:
                existing = Path(exc.filename)
                if existing in written:  # two articles of one run with the same headline and date
                    print(f"error: {existing.relative_to(root)} was just written from {written[existing]}, which has "
                          f"the same headline and date; nothing was written for {label}. If it is the same article, "
                          "import it once; if not, save the draft that --dry-run prints under another file name in "
                          "content/statements/.", file=sys.stderr)
                else:
                    print(f"error: {existing.relative_to(root)} already exists; it was left untouched. "
                          f"Edit that file, or move it away and import {label} again.", file=sys.stderr)
                status = 1
                continue
            except AddressTaken as taken:
                print(_address_taken(taken, f"nothing was written for {label}. If it is that statement, do not import "
                                            "it again; if not, save the draft that --dry-run prints under another file "
                                            "name in content/statements/."), file=sys.stderr)
                status = 1
                continue
            except OSError as exc:
                print(_not_written(exc, root), file=sys.stderr)
                status = 1
                continue
            written[path] = label
            say_copies(f"delete the new draft, {path.relative_to(root)}, rather than publish it twice")
            print(f"Wrote {path.relative_to(root)} from {label}. Review it, then run 'make check' (or build.py check):")
            print("\n".join(importer.review_lines(draft)))
    return status


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, a service manager stopping serve, a CI's time limit) stops a command as Ctrl-C does:
    a build ends its Pagefind runs and removes its staging and scratch folders, where it had died at once and
    left them (the scratch folder held memory until a later build made a search index)."""


def _terminated(signum, frame):
    raise Terminated


def run(args, root: Path) -> int:
    # A build makes millions of small objects that live until it ends; Python's default collector
    # re-scans them over and over (an edit at 10,000 statements: 37.6 s, and 31.4 s with this
    # setting, measured). Young objects are collected ~140 times less often; nothing a build
    # makes needs a prompt collection.
    gc.set_threshold(100_000, 50, 100)
    handles_sigterm = threading.current_thread() is threading.main_thread()  # where Python allows it
    previous = signal.signal(signal.SIGTERM, _terminated) if handles_sigterm else None
    try:
        if args.command == "serve":
            return run_serve(args, root)
        if args.command == "new":
            return run_new(args, root)
        if args.command == "check":
            return run_check(args, root)
        if args.command == "import":
            return run_import(args, root)
        return run_build(args, root)[0]
    except KeyboardInterrupt as stopped:
        terminated = isinstance(stopped, Terminated)
        print(f"{'Terminated' if terminated else 'Interrupted'}; the published site is whole: the previous one, or this "
              "build's if it was already published.", file=sys.stderr)
        return 128 + (signal.SIGTERM if terminated else signal.SIGINT)
    finally:
        if handles_sigterm:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
