"""Help that reads like a manual: value names people understand, nothing for flags.

Typer labels an option without a metavar with its click type (``--top <int
range>``, ``--format <table|json|csv>``, ``--verbose <int>``), which reads as
if a counter took a value. Here an option shows its ``metavar`` when it has
one, its choices when it has them, a plain word for its kind otherwise, and
nothing when it is a flag or a counter (``-v``, ``-vv``); an argument shows
only its name.

typer's rich help imports two rich modules at its top that this command line
never uses (:func:`load_rich_help`): they are put off until something uses them.
"""

from __future__ import annotations

import importlib
import sys
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


#: The options that ask for help, anywhere on the command line.
HELP_OPTIONS = ["-h", "--help"]

#: What typer's rich help (``typer.rich_utils``) imports at its top but uses only for Markdown markup and pretty
#: tracebacks, both off here: rich.markdown (markdown-it, pygments) and rich.traceback (rich.pretty, attrs), about
#: 45 ms of a 170 ms ``citygraph --help``. Upstream (typer PR 1128's thread) knows; typer 0.28 still imports them.
DEFERRED = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


class _Forwarding(type):
    """A stand-in class's class: what is asked of the stand-in (``Traceback.from_exception``) comes from the real
    class, imported then."""

    def __getattr__(cls, attr: str) -> Any:
        return getattr(cls.real(), attr)


def stand_in(module: str, name: str) -> type:
    """A class named like ``module.name`` that imports the real one the first time it is made or asked."""

    def real() -> Any:
        return getattr(importlib.import_module(module), name)

    def new(_cls: type, *args: Any, **kwargs: Any) -> Any:
        return real()(*args, **kwargs)

    return _Forwarding(name, (), {"__new__": new, "real": staticmethod(real), "__module__": module})


def load_rich_help() -> None:
    """Import typer's rich help with stand-ins for :data:`DEFERRED`'s classes, then take the stand-in modules
    out of ``sys.modules``: a later ``import rich.markdown`` gets the real one, and so does typer the moment it
    makes a Markdown. Does nothing where typer's rich help or those modules are already imported."""
    if "typer.rich_utils" in sys.modules:
        return
    placed = {}
    for module, name in DEFERRED.items():
        if module not in sys.modules:
            placed[module] = sys.modules[module] = type(sys)(module)
            setattr(placed[module], name, stand_in(module, name))
    try:
        importlib.import_module("typer.rich_utils")
    finally:
        for module, placeholder in placed.items():
            if sys.modules.get(module) is placeholder:
                del sys.modules[module]
