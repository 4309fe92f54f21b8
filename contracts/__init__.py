"""The published language between services and with each administration's systems.

Only pydantic and the standard library are imported here, so an outside system can
depend on this package alone.
"""
