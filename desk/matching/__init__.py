"""The matching engine: which programs fit an intake, with terms, to-dos and contacts."""
