"""The operators' view (/drift) and a message's journey (/drift/resa/{id})."""
