"""Name resolution: the gazetteer, the world's towns, place fields and the lines that cite each name."""
