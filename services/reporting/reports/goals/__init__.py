"""The goals view (/mal) and the plan's goals section: result goals and commitments with
their attainment."""
