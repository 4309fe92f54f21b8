"""The ``kommunplan`` command: run the whole system, one service, a rebuild, or the demo load."""
