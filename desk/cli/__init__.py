"""The `desk` command (:mod:`desk.cli.entry`); each group of commands in a module of its own."""

from desk.cli.entry import main

__all__ = ["main"]
