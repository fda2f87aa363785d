"""What the visitor takes home, as content: the referral sheet and the leaflet (view models of
plain strings), and issuing a sheet (match, log, render). Layout is in :mod:`desk.reports`."""
