"""The named query library: the catalog of .cypher files and parameter parsing."""
