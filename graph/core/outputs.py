"""Files citygraph writes (pages, maps, exports): whole or not at all, and never over someone else's file.

Every output is written to a temporary file beside its target and renamed
over it, so a full disk or a crash leaves the previous file as it was. A
file that exists is replaced only when it is an earlier citygraph output
(its first bytes carry :data:`MARK`) or the caller says ``force``. A folder
export (neo4j-admin CSV) lists its files in :data:`FOLDER_MARK`; the next
export into that folder removes them first, so two exports never mix.

A target that is a stream rather than a file (``/dev/stdout``, a FIFO, a
device) is written straight through, never renamed over; a symbolic link is
followed, so the file it names is replaced and the link stays.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from citygraph.core.errors import OutputError

#: Written near the top of every file citygraph makes (an HTML meta tag, an XML or Cypher comment, PNG text).
MARK = "generator: citygraph"
#: The list of files a folder export wrote.
FOLDER_MARK = ".citygraph-export"
#: Pages written before the mark existed start their head with this title.
EARLIER = "<title>citygraph"
#: How far into a file the mark is looked for.
HEAD = 4096


def is_ours(path: Path) -> bool:
    """Whether ``path`` is a file citygraph wrote (its first bytes carry the mark)."""
    try:
        with path.open("rb") as f:
            head = f.read(HEAD)
    except OSError:
        return False
    return MARK.encode() in head or EARLIER.encode() in head


def _refuse_foreign(path: Path, force: bool) -> None:
    if path.is_dir():
        raise OutputError(f"{path} is a folder; name a file")
    if path.exists() and path.stat().st_size and not force and not is_ours(path):
        raise OutputError(f"{path} exists and is not a citygraph output; choose another name, or add `force` "
                          "to replace it")


def _is_stream(path: Path) -> bool:
    """A target that exists and is neither a regular file nor a folder: a device, FIFO or socket."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _mode_for(path: Path) -> int:
    """The permissions a replaced file keeps, or what a new file gets under the umask (not mkstemp's 0600)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def replace_file(path: Path, write: Callable[[Path], None], *, force: bool = False) -> Path:
    """Call ``write(tmp)`` for a temporary file beside ``path``, then rename it over ``path``
    (a stream such as ``/dev/stdout`` is written straight through)."""
    path = Path(path)
    if _is_stream(path):
        try:
            write(path)
        except BrokenPipeError:
            raise  # the reader left (`--out /dev/stdout | head`): quiet, as for standard output
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
        return path
    path = path.resolve() if path.is_symlink() else path
    _refuse_foreign(path, force)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        write(tmp)
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}; the previous file is kept") from None
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()
    return path


def replace_text(path: Path, text: str, *, force: bool = False) -> Path:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return replace_file(path, write, force=force)


def _checked_folder(folder: Path, force: bool) -> list[str]:
    """The names of the previous export's files in ``folder`` (made if missing); an OutputError for a folder
    that holds files no citygraph export wrote, unless ``force``."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is not a folder; a CSV export writes several files into a folder: "
                          "name a new or empty one")
    listing = folder / FOLDER_MARK
    if not listing.exists() and folder.exists() and any(folder.iterdir()) and not force:
        raise OutputError(f"{folder} holds files that no citygraph export wrote; choose an empty or new folder, "
                          "or add `force` to write beside them")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot make {folder}: {e.strerror}") from None
    return listing.read_text(encoding="utf-8").split() if listing.exists() else []


def mark_folder(folder: Path, paths: list[Path]) -> None:
    """Record which files this export wrote, so that the next one removes exactly those."""
    replace_text(Path(folder) / FOLDER_MARK, "\n".join(p.name for p in paths) + "\n", force=True)


def write_folder(folder: Path, write: Callable[[Path], list[Path]], *, force: bool = False) -> list[Path]:
    """Files written by ``write(into)`` land in ``folder`` whole or not at all: they are written into a new
    folder beside it and moved in once every one is complete, replacing the previous export's files (only
    those); a failure removes what was written and names the file it failed on."""
    folder = Path(folder)
    previous = _checked_folder(folder, force)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        try:
            written = write(staging)
        except OSError as e:
            failed = Path(e.filename).name if e.filename else "a file"
            raise OutputError(f"cannot write {failed} into {folder}: {e.strerror or e}; nothing was kept") from None
        for name in previous:  # the previous export goes only once this one is complete
            (folder / name).unlink(missing_ok=True)
        moved = []
        for path in written:
            target = folder / path.name
            os.replace(path, target)
            moved.append(target)
        mark_folder(folder, moved)
        return moved
    finally:
        shutil.rmtree(staging, ignore_errors=True)
