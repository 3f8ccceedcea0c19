"""Check notebook parameters before any kernel starts: declared names, the declared literal's type, obvious ranges.

A notebook declares a parameter by a literal in its ``parameters`` cell; that literal's type is the
parameter's type (``None`` declares no type). Ranges follow the name:

========================================  =========================================
name                                      allowed values
========================================  =========================================
``top_*``, ``n_*``, ``min_*``             integers >= 1 (counts)
``*_threshold``, ``*_share``              numbers in [0, 1]
``seed``, ``random_state``, ``*_seeds``   integers >= 0
``ngram_range``                           two integers ``[low, high]``, 1 <= low <= high
========================================  =========================================
"""

from __future__ import annotations

import math
import re

from analysis.report._errors import ReportError

__all__ = ["check_parameter"]

_COUNT = re.compile(r"^(top|n|min)_")
_FRACTION = re.compile(r"_(threshold|share)$")
_SEED = re.compile(r"^(seed|random_state)$|_(seed|seeds|random_state)$")

_TYPE_NAMES = {bool: "True or False", int: "an integer", float: "a number", str: "a string"}
_PLURALS = {bool: "True/False values", int: "integers", float: "numbers", str: "strings"}


def _matches(value, kind: type) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return isinstance(value, kind)


def _type_problem(value, default) -> str | None:
    """What is wrong with ``value``'s type given the declared ``default``; None when it fits."""
    if default is None:
        return None
    if isinstance(default, list | tuple):
        if not isinstance(value, list | tuple):
            return "a list"
        kinds = {type(item) for item in default}
        kind = kinds.pop() if len(kinds) == 1 else None
        if kind is not None and not all(_matches(item, kind) for item in value):
            return f"a list of {_PLURALS.get(kind, kind.__name__)}"
        return None
    kind = type(default)
    return None if _matches(value, kind) else _TYPE_NAMES.get(kind, f"a {kind.__name__}")


def _range_problem(name: str, value) -> str | None:
    """What is wrong with ``value``'s range given the parameter's name; None when it fits or no rule applies."""
    numbers = [
        v
        for v in (value if isinstance(value, list | tuple) else [value])
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    if name == "ngram_range":
        ok = (
            isinstance(value, list | tuple)
            and len(value) == 2
            and len(numbers) == 2
            and all(isinstance(v, int) for v in numbers)
            and 1 <= value[0] <= value[1]
        )
        return None if ok else "two integers [low, high] with 1 <= low <= high"
    if _COUNT.match(name) and any(not isinstance(v, int) or v < 1 for v in numbers):
        return "an integer >= 1 (a count)"
    if _FRACTION.search(name) and any(not 0 <= v <= 1 for v in numbers):
        return "a number between 0 and 1"
    if _SEED.search(name) and any(not isinstance(v, int) or v < 0 for v in numbers):
        return "an integer >= 0 (a seed)"
    return None


def check_parameter(notebook: str, name: str, value, default) -> None:
    """Raise :class:`ReportError` when ``value`` does not fit the type of ``default`` or the range its name implies.

    Parameters
    ----------
    notebook : str
        Notebook file name, for the message.
    name : str
        Parameter name.
    value
        The value given (``--param`` or ``parameters=``).
    default
        The literal the notebook's ``parameters`` cell declares.
    """
    problem = _type_problem(value, default) or _range_problem(name, value)
    if problem:
        raise ReportError(
            f"{notebook}: parameter {name} must be {problem}, got {value!r} "
            f"(the notebook declares {name} = {default!r})"
        )
