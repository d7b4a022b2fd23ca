"""Stored text made safe for a terminal: shown, never obeyed (no rich here: JSON and CSV output need none)."""

from __future__ import annotations

import re

#: Control characters (ESC, BEL, …) that would act on a terminal instead of being shown; \t and \n stay.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")


def terminal_text(text: str) -> str:
    """Stored text as a terminal should show it: control characters made visible (``\\x1b``), never obeyed."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
