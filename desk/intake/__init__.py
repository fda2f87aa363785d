"""What the visitor tells the clerk: the intake file and form values read into typed facts, sales
figures turned into changes, and the place of the business."""
