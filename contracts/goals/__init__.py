"""The goals service's public contract: perspectives, result goals, commitments,
indicators, notes and measurements."""
