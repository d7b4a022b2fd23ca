"""Loaders: report parser, gazetteer, structured files, batched writer."""
