"""What users look at and take away: the network page, the world map, exports and their palette."""
