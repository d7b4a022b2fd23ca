"""Analysis: graph projections, centrality and its backends, recommendations, and the census."""
