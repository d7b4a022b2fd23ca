"""citygraph: city-to-city cooperation as a property graph."""

__version__ = "0.1.0"
