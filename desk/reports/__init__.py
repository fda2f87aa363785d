"""Printed outputs (the referral sheet, the overview leaflet) built with reportlab."""
