"""`python -m bot` is the same as the `akhbar` command."""

from bot.entry import main

raise SystemExit(main())
