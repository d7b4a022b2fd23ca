"""Help that reads like a manual: value names people understand, nothing for flags.

Typer labels an option without a metavar with its click type (``--top <int
range>``, ``--format <table|json|csv>``, ``--verbose <int>``), which reads as
if a counter took a value. Here an option shows its ``metavar`` when it has
one, its choices when it has them, a plain word for its kind otherwise, and
nothing when it is a flag or a counter (``-v``, ``-vv``); an argument shows
only its name.
"""

from __future__ import annotations

from typing import Any

from typer._click.types import ParamType
from typer.core import TyperArgument, TyperOption

#: Click type names to the word shown after an option that has no metavar.
_WORDS = {"int": "N", "int range": "N", "float": "NUMBER", "float range": "NUMBER", "str": "TEXT", "path": "PATH",
          "datetime": "DATE", "filename": "FILE"}


def option_value_name(option: TyperOption, ctx: Any = None) -> str | None:
    """What the help shows after an option: None for flags, else its metavar, choices or kind."""
    if option.is_flag or option.count:
        return None
    if option.metavar is not None:
        return option.metavar
    choices = getattr(option.type, "choices", None)
    if choices:
        return "|".join(str(getattr(c, "value", c)) for c in choices)
    return _WORDS.get(option.type.name, "VALUE")


_type_metavar = ParamType.get_metavar


def type_metavar(kind: ParamType, param: Any, ctx: Any = None) -> str | None:
    """A type's own word for an option's value; none beside an argument, whose name (``NAME``, ``[PATH]...``)
    already says what it takes (typer would add ``<str>`` or ``<path>``)."""
    return "" if isinstance(param, TyperArgument) else _type_metavar(kind, param, ctx)


def install() -> None:
    """Make every typer parameter in this process describe its value this way."""
    setattr(TyperOption, "make_metavar", option_value_name)  # noqa: B010 (a method, set on the class)
    setattr(ParamType, "get_metavar", type_metavar)  # noqa: B010
