"""Alembic migrations of desk's schema.

HEAD_REVISION lets start-up confirm the schema is current with one SELECT,
without importing Alembic; a test keeps it equal to the scripts' real head.
"""

HEAD_REVISION = "0011"
# How many rows a migration that rewrites data in Python reads at a time (0011), here so a test
# can make it small and watch the batches join.
DATA_BATCH = 5_000
