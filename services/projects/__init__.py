"""Projects service: the project register.

Not built yet: it will reuse the plumbing package exactly as the budget service does.
"""
