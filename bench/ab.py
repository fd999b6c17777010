#!/usr/bin/env python3
"""Two versions of the program, alternated build by build on two copies of one corpus.

On a shared machine one build's time moves by 30% or more with the load, so a change of a few
per cent cannot be seen by comparing two benchmark runs taken at different times. Alternating the
two versions, pair by pair (A then B, then B then A), exposes both to the same load; the median of
the differences and the number of pairs each side won are what to report.

    python bench/ab.py --base HEAD~1 [--change .] --size 10000 --pairs 6 --scenario "statement edited"

`--base` and `--change` name a commit (anything `git archive` takes) or `.` for the working tree.
Each side builds its own copy of the corpus, with its own `.cache/`: a program's caches are
stamped with its code, so the two versions could not share one. Before the pairs each side
builds once, unmeasured (except for the cold scenario). At the end the two outputs are compared
file by file: a change made for speed should leave the site byte for byte the same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (the benchmark: the corpus, the scenarios and the measurements)

SCENARIOS = ("cold", "no change", "statement edited", "statement added", "person edited")


def side_program(rev: str, work: Path, name: str) -> Path:
    return run.snapshot_code(work, None if rev == "." else rev, name)


def describe(rev: str) -> str:
    """The commit a revision names (short), or the working tree and whether it has uncommitted changes."""
    if rev == ".":
        status = subprocess.run(["git", "-C", str(run.REPO), "status", "--porcelain", "--", *run.PROGRAM],
                                capture_output=True, text=True)
        dirty = status.returncode == 0 and status.stdout.strip()
        return "working tree" + (" (uncommitted changes)" if dirty else "")
    found = subprocess.run(["git", "-C", str(run.REPO), "rev-parse", "--short", rev], capture_output=True, text=True)
    return f"{rev} ({found.stdout.strip()})" if found.returncode == 0 else rev


def corpus_copy(source: Path, target: Path, code: Path) -> Path:
    """The generated corpus without any build's output or cache, with this side's build.py and templates."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, symlinks=True,
                    ignore=shutil.ignore_patterns("public", ".cache", ".public.*", ".staging-*"))
    run.use_program(target, code)
    return target


def change_for(scenario: str, root: Path, pair: int):
    """Make the scenario's change in one corpus (not undone: each pair changes the last build's input)."""
    if scenario in ("cold", "no change"):
        return
    for name, change in run.edits(root, pair):
        if name == scenario:
            change()
            return
    raise ValueError(scenario)


def output_digests(folder: Path) -> dict:
    digests = {}
    for current, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(current, name)
            with open(path, "rb") as handle:
                digests[os.path.relpath(path, folder)] = hashlib.file_digest(handle, "sha256").hexdigest()
    return digests


def compare_outputs(a: Path, b: Path) -> dict:
    first, second = output_digests(a), output_digests(b)
    differ = sorted(p for p in first.keys() | second.keys() if first.get(p) != second.get(p))
    return {"files": len(first), "differ": len(differ), "examples": differ[:10]}


def alternate(sides: dict, scenario: str, pairs: int, log) -> dict:
    """Build both sides `pairs` times each, alternating which goes first; every build is logged as it ends."""
    rows: dict = {label: [] for label in sides}
    labels = list(sides)
    if scenario != "cold":
        for label in labels:  # a cold build each: at 50,000 statements, some minutes before the first pair
            log(f"  {label}: building the site the measured builds start from (not measured)")
            sides[label].clean()
            result = sides[label].build()
            log(f"  {label}: built in {result['wall']:.2f} s")
    for pair in range(pairs):
        for label in (labels if pair % 2 == 0 else labels[::-1]):
            ours = sides[label]
            if scenario == "cold":
                ours.clean()
            change_for(scenario, ours.root, pair)
            result = ours.build()
            rows[label].append(result)
            log(f"  pair {pair + 1} {label}: {result['wall']:.2f} s, CPU {result['cpu']:.2f} s, "
                f"peak {result['peak_pss_mb']:.0f} MB PSS, {result['written']} files written")
    return rows


def summarise(rows: dict) -> dict:
    (a, first), (b, second) = rows.items()
    differences = [y["wall"] - x["wall"] for x, y in zip(first, second)]
    summary = {"pairs": len(differences), "median difference": statistics.median(differences),
               "differences": differences, f"{b} faster": sum(d < 0 for d in differences),
               f"{a} faster": sum(d > 0 for d in differences)}
    for label, results in rows.items():
        summary[label] = {key: statistics.median(r[key] for r in results) for key in ("wall", "cpu", "peak_pss_mb")}
        stages = [r.get("stages", {}) for r in results]
        summary[label]["stages"] = {name: statistics.median(s.get(name, 0.0) for s in stages)
                                    for name in dict.fromkeys(k for s in stages for k in s)}
    return summary


def report(summary: dict, outputs: dict | None, names: dict) -> str:
    a, b = names
    lines = [f"A = {names[a]}", f"B = {names[b]}",
             f"pairs: {summary['pairs']}; B − A wall, per pair (s): "
             + ", ".join(f"{d:+.2f}" for d in summary["differences"]),
             f"median B − A: {summary['median difference']:+.2f} s; B faster in {summary[f'{b} faster']} "
             f"of {summary['pairs']} pairs, A faster in {summary[f'{a} faster']}",
             "", "| median | A | B |", "|---|---:|---:|"]
    lines += [f"| {key} | {summary[a][key]:.2f} | {summary[b][key]:.2f} |" for key in ("wall", "cpu")]
    lines.append(f"| peak MB (summed PSS) | {summary[a]['peak_pss_mb']:.0f} | {summary[b]['peak_pss_mb']:.0f} |")
    for stage in dict.fromkeys([*summary[a]["stages"], *summary[b]["stages"]]):
        lines.append(f"| stage: {stage} | {summary[a]['stages'].get(stage, 0):.2f} | "
                     f"{summary[b]['stages'].get(stage, 0):.2f} |")
    if outputs is not None:
        lines.append("")
        lines.append(f"outputs: identical ({outputs['files']} files)" if not outputs["differ"] else
                     f"outputs: {outputs['differ']} of {outputs['files']} files differ, e.g. "
                     + ", ".join(outputs["examples"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="version A: a commit, or . for the working tree")
    parser.add_argument("--change", default=".", help="version B: a commit, or . for the working tree (default)")
    parser.add_argument("--size", type=int, default=1000, help="statements in the corpus (default: 1000)")
    parser.add_argument("--pairs", type=int, default=6, help="builds of each version (default: 6)")
    parser.add_argument("--scenario", choices=SCENARIOS, default="statement edited")
    parser.add_argument("--work", type=Path, default=None, help="folder for the corpora (default: a temporary one); "
                        "a corpus generated there is reused by later runs")
    parser.add_argument("--json", type=Path, default=None, help="write every measurement here too")
    args = parser.parse_args(argv)
    if args.pairs < 1:
        parser.error("--pairs must be at least 1")
    work = args.work or Path(tempfile.mkdtemp(prefix="statement-ab-"))
    work.mkdir(parents=True, exist_ok=True)

    def log(text):
        print(text, file=sys.stderr, flush=True)

    codes = {"A": side_program(args.base, work, "code-a"), "B": side_program(args.change, work, "code-b")}
    names = {"A": describe(args.base), "B": describe(args.change)}
    run.Ours.code = codes["A"]
    generated = run.prepare(args.size, work) / "ours"
    sides = {label: run.Ours(corpus_copy(generated, work / f"ab-{label.lower()}", code), code)
             for label, code in codes.items()}
    log(f"{args.scenario}, N={args.size}, {args.pairs} pairs: A = {names['A']}, B = {names['B']}")
    rows = alternate(sides, args.scenario, args.pairs, log)
    outputs = compare_outputs(sides["A"].root / "public", sides["B"].root / "public")
    summary = summarise(rows)
    print(report(summary, outputs, names))
    if args.json:
        args.json.write_text(json.dumps({"scenario": args.scenario, "size": args.size, "versions": names,
                                         "machine": run.machine(), "summary": summary, "outputs": outputs,
                                         "builds": rows}, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
