"""Printed outputs (the referral sheet, the overview handout) built with reportlab."""
