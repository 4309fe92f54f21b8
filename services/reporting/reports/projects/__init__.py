"""The project register (/projekt), each project's page, and the plan's projects section."""
