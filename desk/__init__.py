"""desk: the consultation desk for SME public loans (Nissan Oppama special windows).

The package root is Qt-free: the intake model, rules, matching, directory look-ups
and the command line live here and in ``desk.db``; only ``desk.ui`` imports PySide6.
"""

__version__ = "0.1.0"
