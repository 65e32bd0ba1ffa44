"""`python -m bot` is the same as the `akhbar` command."""

from bot.cli import main

raise SystemExit(main())
