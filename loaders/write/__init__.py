"""Writing a plan: the batched writer and its sender, the bulk build, retraction, and neo4j-admin files."""
