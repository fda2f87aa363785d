"""Data packs: reading, validating, importing and exporting the catalogue files."""
