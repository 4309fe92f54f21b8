"""Goals service: result goals, commitments with targets, and goal measurements.

Not built yet: it will reuse the plumbing package exactly as the budget service does.
"""
