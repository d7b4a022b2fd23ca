"""Help that reads like a manual: value names people understand, nothing for flags.

Typer 0.29 labels every parameter with its Python type (``--strict <bool>``,
``--param <list[str]>``, ``--verbose <int>``), which reads as if a flag took a
value. Here an option shows its ``metavar`` when it has one, its choices
when it has them, a plain word for its kind otherwise, and nothing when it is
a flag or a counter (``-v``, ``-vv``); an argument shows only its name.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, get_args

from typer.core import TyperArgument, TyperOption

#: Python types to the word shown after an option that has no metavar.
_WORDS: dict[Any, str] = {int: "N", float: "NUMBER", str: "TEXT", Path: "PATH", datetime: "DATE"}


def option_value_name(option: TyperOption, ctx: Any = None) -> str | None:
    """What the help shows after an option: None for flags, else its metavar, choices or kind."""
    if option.is_flag or option.count:
        return None
    if option.metavar is not None:
        return option.metavar
    desc = option.type_descriptor
    if desc.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
    kind = desc.annotation
    if desc.is_list:
        kind = (get_args(kind) or (str,))[0]
    return _WORDS.get(kind, "VALUE")


def argument_value_name(argument: TyperArgument, ctx: Any = None) -> str | None:
    """Nothing beside an argument: its name (``NAME``, ``[PATH]...``) already says what it takes."""
    return None


def install() -> None:
    """Make every typer parameter in this process describe its value this way."""
    setattr(TyperOption, "display_type_rich", option_value_name)  # noqa: B010 (a method, set on the class)
    setattr(TyperArgument, "display_type_rich", argument_value_name)  # noqa: B010
