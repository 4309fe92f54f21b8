"""The projects service's public contract: the project register, its lifecycle, money and
status, and its links to result goals."""
