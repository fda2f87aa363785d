"""The consultation log without a database: what a record holds, its reference number, the
writer interface. The SQL behind it lives in :mod:`desk.db`."""
