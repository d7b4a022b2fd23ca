"""The named query library (package data: one ``.cypher`` file per query)."""
