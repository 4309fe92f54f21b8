"""Faults and hostile inputs on real servers, judged from outside.

Each fault scenario starts its own NATS and PostgreSQL in a temporary directory and each
service as a process of its own, sends the ledger's actuals in order, kills or restarts a
part while they are taken in, and then checks the properties in ``properties``. The
hostile inputs share one such stack. ``python -m tests.faults`` runs everything with more
messages than the tests do and prints a table; ``pytest tests/faults`` is the CI version.
"""
