"""Process runtime for loads: worker processes that make parts and check tables, and the cyclic-GC pause."""
