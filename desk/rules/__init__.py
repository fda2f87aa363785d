"""Eligibility rules: the registry of named checks and their parameters."""
