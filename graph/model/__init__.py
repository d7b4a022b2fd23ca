"""The knowledge model: vocabulary, countries and blocs, the Cypher statements that write it, derived REACHES."""
