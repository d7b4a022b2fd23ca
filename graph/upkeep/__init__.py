"""Keeping a written graph whole: the upgrade of older graphs and the derived relationships every write refreshes."""
