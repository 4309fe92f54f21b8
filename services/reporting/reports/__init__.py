"""The reports, each a package: a pure builder (rows in, view model out), its templates, its
JSON and its downloads, and what it reads; routes.py gives each its page, JSON and files."""
