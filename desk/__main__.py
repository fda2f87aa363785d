"""`python -m desk` is the same as the `desk` command."""

from desk.cli import main

raise SystemExit(main())
