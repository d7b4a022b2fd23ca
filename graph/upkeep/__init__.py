"""Keeping a written graph whole: the upgrade of older graphs and the derived REACHES every write refreshes."""
