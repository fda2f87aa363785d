"""Eligibility rules: the named checks, each declared beside its logic and grouped by family
(business, sales, circumstances); the registry that loads them; what a check says (outcome)."""
