"""The Qt user interface. Widgets gather input and show results; rules live in the core."""
