"""Budget domain contracts, version 1."""
