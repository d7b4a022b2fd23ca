"""Report text-mining: pairings, items, organisations, agreements, events and programme figures from a report."""
