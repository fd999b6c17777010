"""Stage 7, write: the rules that keep the published site safe while a build replaces it.

incremental.write_incremental writes the site into a folder beside the output and swaps the two
in one step (`_exchange`, or two renames where the system has no atomic exchange), so a failed
or interrupted build leaves the published site exactly as it was. The build only
ever replaces a folder that carries its marker file, and refuses dangerous places. Folders
left by a killed build carry the marker too, so the next build can tell them apart and
remove them; nothing without the marker is ever deleted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .parallel import wait_until


MARKER = ".statement-archive-output"
MARKER_TEXT = "Made by build.py; the whole folder is replaced on every build.\n"
STAGING_PREFIX = ".staging-"
RETIRED_PREFIX = ".retired-"


class OutputRefused(Exception):
    """The output folder is somewhere the build must never write or delete."""


class PublishedThenFailed(Exception):
    """The new site is published (the swap is done), but a step after it failed: the build's copy beside the
    site could not be brought level. Said as such: "the published site was left as it was" would be untrue."""

    def __init__(self, output: Path, cause: OSError):
        super().__init__(f"the new site was published in {output}, but the build's copy of it beside that folder "
                         f"could not be brought level: {cause.strerror or cause} ({cause.filename or 'no file named'}); "
                         "the next build makes that copy afresh (check that the folders in the site are writable "
                         "by the user who builds)")


# The folder may have come from either: the hint names both.
ANOTHER_OUTPUT = "choose another output folder (--output, or output_dir in site.yaml)"


def check_output_dir(output: Path, root: Path) -> None:
    """Refuse the project, its content and templates (and anything inside those two), their parents, home and /."""
    output = output.resolve()
    root = root.resolve()
    sources = [root / "content", root / "templates"]
    protected = [root, *sources, Path.home().resolve(), Path("/")]
    for place in protected:
        if output == place or output in place.parents:
            raise OutputRefused(
                f"refusing to use {output} as the output folder: it is or contains {place}; "
                "choose a folder of its own, such as 'public'"
            )
    for place in sources:
        if place in output.parents:
            raise OutputRefused(
                f"refusing to use {output} as the output folder: it is inside {place}, which the build reads; "
                "choose a folder of its own, such as 'public'"
            )
    if output.exists() and not output.is_dir():
        raise OutputRefused(f"refusing to replace {output}: it is a file, not a folder; {ANOTHER_OUTPUT}")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise OutputRefused(
            f"refusing to replace {output}: it is not empty and was not made by this build "
            f"(no {MARKER} file); {ANOTHER_OUTPUT}, or empty it yourself"
        )
    from .incremental import shadow_of

    shadow = shadow_of(output)  # the build's working copy beside the output, which it would replace
    if (shadow.exists() or shadow.is_symlink()) and not (shadow / MARKER).is_file():
        raise OutputRefused(f"refusing to replace {shadow}: it was not made by this build; move it away")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner_pid(folder: Path) -> int | None:
    """The process that made a folder named `...-PID` (staging, retired, search scratch folders)."""
    tail = folder.name.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None


def clean_leftovers(output: Path) -> None:
    """Tidy up after builds that were killed: restore a retired site if the output went missing
    between two renames, then remove their marked staging and retired folders."""
    parent = output.parent
    if not parent.is_dir():
        return
    leftovers = []
    for prefix in (STAGING_PREFIX, RETIRED_PREFIX):
        for folder in sorted(parent.glob(f"{prefix}{output.name}-*")):
            pid = owner_pid(folder)
            if pid is None or folder.is_symlink() or not folder.is_dir():
                continue
            if pid != os.getpid() and pid_alive(pid):
                continue  # another build is running right now
            if (folder / MARKER).is_file():
                leftovers.append(folder)
            elif not any(folder.iterdir()):
                folder.rmdir()  # killed between creating it and writing the marker
    if not output.exists():
        retired = [f for f in leftovers if f.name.startswith(RETIRED_PREFIX)]
        if retired:
            os.rename(retired[-1], output)
            leftovers.remove(retired[-1])
    for folder in leftovers:
        remove_own_folder(folder)


def remove_own_folder(folder: Path) -> None:
    """Delete a folder this build made, its marker last, so an interrupted delete is finished next time."""
    for child in folder.iterdir():
        if child.name == MARKER:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
    if any(child.name != MARKER for child in folder.iterdir()):
        return  # something could not be deleted; the marker stays, so a later build tries again
    (folder / MARKER).unlink(missing_ok=True)
    folder.rmdir()


class Removal:
    """One of our folders, moved aside and being deleted beside the build (`remove_beside`)."""

    def __init__(self, folder: Path, process: subprocess.Popen | None):
        self.folder, self.process = folder, process

    def _ended(self, seconds: float) -> bool:
        try:
            self.process.wait(seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def finish(self) -> None:
        """Wait for the deleting process, then delete whatever is left here (all of it without one), marker last."""
        if self.process is not None:
            wait_until(self._ended)
            self.process = None
        if self.folder.exists():
            remove_own_folder(self.folder)


def remove_beside(folder: Path, output: Path) -> Removal:
    """Move one of our folders aside and start deleting it in another process; `finish()` waits for it.

    Why: when the record of the last build is gone (the cache deleted, or a change to the program's
    writing of pages), the build makes the site afresh, and both the old shadow (before the pages)
    and the old site (once swapped out, while the new shadow is linked) are no use: whole sites,
    71,761 files each at 10,000 statements. Deleted on the build's path, the shadow took 1.7 to
    2.4 s and the old site, with the new shadow's links, 8.3 to 10.1 s (measured). `rm` is a
    process of its own, not a fork of the build, so it copies none of the build's memory. Moved
    aside under a staging name with this process's id, the folder is removed by the next build's
    `clean_leftovers` if this one is killed; its marker stays until `finish`, as everywhere. Where
    there is no `rm`, `finish` deletes the folder itself.
    """
    # Named by its inode too: a build can have two folders being deleted (the old shadow, the old site).
    aside = folder.parent / f"{STAGING_PREFIX}{output.name}-old{folder.stat().st_ino}-{os.getpid()}"
    os.rename(folder, aside)
    children = [str(child) for child in aside.iterdir() if child.name != MARKER]
    rm = shutil.which("rm")
    process = None
    if rm and children:
        try:
            process = subprocess.Popen([rm, "-rf", "--", *children], stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:  # finish() deletes it all
            pass
    return Removal(aside, process)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes  # here, not at the top: the no-change check imports this module and never swaps

    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter runs on
    except OSError:
        return False
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0
