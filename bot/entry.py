"""Where the `akhbar` command starts (the installed script and `python -m bot`): the program is
imported under a guard.  Loading it takes a while (python-telegram-bot, the news core's
tables), and Ctrl-C meanwhile printed a traceback of whatever module was loading; bot.cli's own
handling of Ctrl-C only begins once it is loaded and running a command."""

from __future__ import annotations

import sys

# What a shell reports for a program stopped by Ctrl-C (128 + SIGINT): a script can tell the
# work was cut short (or, here, not begun).
EXIT_INTERRUPTED = 130


def main() -> int:
    try:
        from bot.cli import main as command

        return command()
    except KeyboardInterrupt:  # while loading, or reading the command line: nothing was done
        print("akhbar: interrupted while starting: nothing done", file=sys.stderr)
        return EXIT_INTERRUPTED
