"""The read models of the goals' events: perspectives, result goals, commitments,
indicators, notes, measurements and activity assessments."""
