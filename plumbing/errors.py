"""Telling a problem of the infrastructure from a problem of a message.

A consumer retries an infrastructure problem in place, in order: the server will come
back and the same batch will then succeed. A message problem would fail the same way
for ever, so the message is refused (or, in a projection, parked) and the consumer goes
on. Anything not known to be infrastructure counts as the message's problem: a consumer
that parks too much can be replayed, one that stops for good cannot.
"""

import asyncpg
import nats.errors

# SQLSTATE classes that say the server, not the statement, is in trouble: connection
# exceptions, transaction rollbacks (serialization, deadlock), lack of resources, objects
# not ready (lock not available), operator intervention (shutdown, cancel), system and
# internal errors.
_INFRASTRUCTURE_CLASSES = frozenset({"08", "40", "53", "55", "57", "58", "XX"})


class InfrastructureError(Exception):
    """Base of the project's own errors that say a server did not do its part."""


def is_infrastructure(error: BaseException) -> bool:
    if isinstance(error, nats.errors.MaxPayloadError):
        return False  # the message is too large, and will stay so
    if isinstance(error, OSError | TimeoutError | nats.errors.Error | InfrastructureError):
        return True
    if isinstance(error, asyncpg.InterfaceError | asyncpg.exceptions.InternalClientError):
        # The client side of a connection that broke mid-statement (the server went away).
        return True
    if isinstance(error, asyncpg.PostgresError):
        state = str(getattr(error, "sqlstate", "") or "")
        return state[:2] in _INFRASTRUCTURE_CLASSES
    return False
