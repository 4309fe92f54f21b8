"""The read models of the budget's events: the organisation tree, the figures and what
follows them up, the project office's shares, and the history of every figure."""
