"""The files `akhbar` commands write (`export -o`, `sources export -o`, `stats --png`): never
the database the bot runs on, and never half a file.

`export -o akhbar.db` once opened the live database for writing — truncating it — before the
first article was read: the archive was gone, and the next start made an empty one.  A full
disk cut an earlier backup to a few lines.  Each file is now written beside its place and
renamed over it when whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TextIO, cast

from bot.config import ConfigError, Settings

# SQLite's own files beside a database (write-ahead log, its index, a rollback journal).
_SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def check_output(path: Path, settings: Settings, what: str = "the output") -> None:
    """Refuse, in one line (ConfigError), to write `what` to `path` where it would destroy or
    cannot go: the SQLite database the settings name or one of its files, a folder, a folder
    that does not exist."""
    target = path.expanduser().resolve()
    if settings.database_url is None:
        database = Path(settings.db_path).expanduser().resolve()
        if any(target == Path(f"{database}{suffix}") for suffix in _SQLITE_COMPANIONS):
            raise ConfigError(f"cannot write {what} to {path}: it is the database (AKHBAR_DB); please name another file")
    if target.is_dir():
        raise ConfigError(f"cannot write {what} to {path}: it is a folder")
    if not target.parent.is_dir():
        raise ConfigError(f"cannot write {what} to {path}: the folder {target.parent} does not exist")


@contextmanager
def text_written_whole(path: Path, what: str = "the output") -> Iterator[TextIO]:
    """A text file (UTF-8) to write `path` through: a temporary file beside it, renamed over
    it once written whole; on any failure it is removed and `path` is as it was (an OSError
    is told in one line, as ConfigError)."""
    with _replacing(path, what, binary=False) as out:
        yield cast(TextIO, out)


def write_bytes_whole(path: Path, data: bytes, what: str = "the output") -> None:
    """`data` into `path`, whole or not at all (as text_written_whole)."""
    with _replacing(path, what, binary=True) as out:
        out.write(data)


@contextmanager
def _replacing(path: Path, what: str, *, binary: bool) -> Iterator[IO[Any]]:
    # A link is followed (its file is the one replaced, the link stays a link).
    target = path.expanduser().resolve()
    if target.exists() and not target.is_file():  # /dev/stdout, a named pipe: written as it is
        try:
            with _open(target, binary) as out:
                yield out
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            raise ConfigError(f"cannot write {what} to {path}: {exc.strerror or exc}") from None
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise ConfigError(f"cannot write {what} to {path}: {exc.strerror or exc}") from None
    try:
        with _open(handle, binary) as out:
            yield out
        # The file keeps the permissions it had (an export kept private stays so), or takes
        # those a plain open would have given it (mkstemp's are 0600).
        if target.exists():
            shutil.copymode(target, temporary)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise ConfigError(f"cannot write {what} to {path}: {exc.strerror or exc}") from None
        raise


def _open(file: Path | int, binary: bool) -> IO[Any]:
    return open(file, "wb") if binary else open(file, "w", encoding="utf-8")  # noqa: SIM115 - the caller's `with`
