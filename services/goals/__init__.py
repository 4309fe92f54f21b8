"""Goals service: perspectives, result goals, commitments with targets, indicators, notes, and
the measurements and activity assessments that follow them up."""
