"""Stage 7, write: put the rendered site in a fresh folder beside the output, then swap it in.

A failed or interrupted build leaves the published site exactly as it was. The build only
ever replaces a folder that carries its marker file, and refuses dangerous places.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

from .urls import output_file

MARKER = ".statement-archive-output"
STAGING_PREFIX = ".staging-"
RETIRED_PREFIX = ".retired-"


class OutputRefused(Exception):
    """The output folder is somewhere the build must never write or delete."""


def check_output_dir(output: Path, root: Path) -> None:
    """Refuse the project, its content and templates, their parents, home and /."""
    output = output.resolve()
    root = root.resolve()
    protected = [root, root / "content", root / "templates", Path.home().resolve(), Path("/")]
    for place in protected:
        if output == place or output in place.parents:
            raise OutputRefused(f"refusing to use {output} as the output folder: it is or contains {place}")
    if output.exists() and not output.is_dir():
        raise OutputRefused(f"refusing to replace {output}: it is a file, not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise OutputRefused(
            f"refusing to replace {output}: it is not empty and was not made by this build "
            f"(no {MARKER} file); choose another --output or empty it yourself"
        )


def clean_leftovers(output: Path) -> None:
    """Remove staging folders of builds that were killed; they carry our marker."""
    parent = output.parent
    if not parent.is_dir():
        return
    for prefix in (STAGING_PREFIX, RETIRED_PREFIX):
        for leftover in parent.glob(f"{prefix}{output.name}-*"):
            if leftover.is_dir() and (leftover / MARKER).exists() and f"-{os.getpid()}" not in leftover.name:
                shutil.rmtree(leftover, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def write_tree(staging: Path, pages: dict[str, bytes], assets: dict[str, bytes]) -> None:
    for site_path, data in list(pages.items()) + list(assets.items()):
        target = staging / output_file(site_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (staging / MARKER).write_text("Made by build.py; the whole folder is replaced on every build.\n", encoding="utf-8")


def write_site(output: Path, root: Path, pages: dict[str, bytes], assets: dict[str, bytes]) -> None:
    """Write every page into a staging folder, then swap it with the output in one step."""
    output = output.resolve()
    check_output_dir(output, root)
    output.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(output)
    staging = output.parent / f"{STAGING_PREFIX}{output.name}-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        staging.mkdir()
        write_tree(staging, pages, assets)
        if output.exists():
            if _exchange(staging, output):
                shutil.rmtree(staging)  # now holds the previous site
                return
            retired = output.parent / f"{RETIRED_PREFIX}{output.name}-{os.getpid()}"
            os.rename(output, retired)
            os.rename(staging, output)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
