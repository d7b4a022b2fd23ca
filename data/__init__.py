"""The bundled knowledge base and gazetteer (package data)."""
