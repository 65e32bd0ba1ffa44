"""The CLI's standard streams as Unix tools treat them: a closed one, one that cannot be written.

A stream the shell closed (`akhbar export >&-`) leaves its descriptor free, and Python leaves
sys.stdout None: the next file opened (the database) would take descriptor 1, and a worker
process started then would print into it.  /dev/null takes the descriptor instead — read-only
for standard output, so that writing the command's output fails as on a closed stream (EBADF),
said in one line rather than silently lost.  Standard output that cannot be written (closed,
a full disk, an I/O error) ends the command with `OutputFailed`; a reader gone (a broken pipe)
is left to the caller, which ends quietly as `cat` does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, TextIO

from news.importers import STDIN


class OutputFailed(Exception):
    """Standard output cannot be written; str() is the operator's one line."""


def plug_closed_descriptors() -> None:
    """Descriptors 0, 1 and 2 held by /dev/null where the shell closed them, and sys.stdin,
    sys.stdout, sys.stderr made again over them (standard input stays None: `import -` says it
    is closed)."""
    for descriptor, mode in ((0, os.O_RDONLY), (1, os.O_RDONLY), (2, os.O_WRONLY)):
        try:
            os.fstat(descriptor)
            continue
        except OSError:
            pass
        plug = os.open(os.devnull, mode)  # the lowest free descriptor: this one, when all below are open
        if plug != descriptor:
            os.dup2(plug, descriptor)
            os.close(plug)
        if descriptor == 1:
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - the process's own
        elif descriptor == 2:
            sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115


def read_input(path: Path) -> str:
    """The UTF-8 text of a whole input file, or of standard input for "-" (`akhbar sources
    import -`, as `akhbar import -`: before, "-: No such file"); an OSError saying in a few
    words, as `akhbar import` does, why it cannot be read (not Python's «[Errno 2] No such
    file or directory: 'x'» nor its codec's «can't decode byte 0xff in position 0»)."""
    if path == STDIN:
        if sys.stdin is None:  # `<&-`: kept None by plug_closed_descriptors
            raise OSError("standard input is closed")
        data = sys.stdin.buffer.read()
    else:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise OSError("no such file") from None
        except IsADirectoryError:
            raise OSError("is a folder, not a file") from None
        except OSError as exc:
            raise OSError(f"cannot read it ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OSError(f"not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


class CheckedOutput:
    """sys.stdout, whose writes and flushes that fail (but for a reader gone) raise OutputFailed."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _failed(error) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _failed(error) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _failed(error: OSError) -> OutputFailed:
    return OutputFailed(f"cannot write to standard output: {error.strerror or error}")


def silence_standard_output() -> None:
    """What is still buffered for standard output dropped at exit, not tried again there
    (Python's last flush would print "Exception ignored … OSError")."""
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):  # not a descriptor's stream (a test's capture): nothing flushed at exit
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)
