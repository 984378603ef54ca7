"""JSON text for people and for batches: indented, with every leaf on one line.

An object or array whose members are all scalars (or empty containers) is written
on one line, as json.dumps writes it without an indent (`{"a": 1, "b": null}`); any
other is indented like json.dumps(data, indent=N). A threshold row or a change thus
reads as one line, and a batch of results is a third of json.dumps(indent=2)'s size.

Written with plain recursive functions: the standard library encodes with its C
accelerator only when no indent is asked for. Scalars are spelled as json spells
them (json's own string encoder, int.__repr__, float.__repr__, NaN/Infinity), keys
are converted as json converts them, and a type json would refuse is refused with
json's TypeError. (A container that holds itself is the one difference: json
reports the cycle, this module runs out of recursion.)
"""

from __future__ import annotations

from collections.abc import Callable
from json.encoder import encode_basestring_ascii
from typing import Any

_INFINITY = float("inf")


def dumps(data: Any, indent: int = 2, margin: int = 0) -> str:
    """The data as indented JSON with leaves on one line, every line shifted right by
    `margin` spaces."""
    return " " * margin + _value(data, "\n" + " " * margin, " " * indent)


def scalar(value: bool | int | float | str | None) -> str:
    """A JSON scalar, spelled as json spells it."""
    return _value(value, "", "")


def _float(value: float) -> str:
    if -_INFINITY < value < _INFINITY:
        return float.__repr__(value)
    if value != value:
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _null(value: None) -> str:
    return "null"


def members(data: dict[Any, Any]) -> str:
    """The members of an object of scalars, as its one-line text writes them
    ('"a": 1, "b": null'): the object's text is "{" + members + "}", and the members of
    two such objects joined by ", " are those of the two merged."""
    return ", ".join(_name(key) + _value(item, "", "") for key, item in data.items())


class Raw(str):
    """JSON text already spelled (an object or an array), written as it is: a layout
    written once and used many times (see serialize.result_json)."""

    __slots__ = ()


#: exact type -> spelling, for the scalars json writes (subclasses go the long way)
_SCALARS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring_ascii,
    int: int.__repr__,
    float: _float,
    bool: _bool,
    type(None): _null,
}


def _name(key: Any) -> str:
    if isinstance(key, str):
        return encode_basestring_ascii(key) + ": "
    if isinstance(key, float):
        return encode_basestring_ascii(_float(key)) + ": "
    if key is True or key is False:
        return f'"{_bool(key)}": '
    if key is None:
        return '"null": '
    if isinstance(key, int):
        return encode_basestring_ascii(int.__repr__(key)) + ": "
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _value(value: Any, newline: str, step: str) -> str:
    spell = _SCALARS.get(type(value))
    if spell is not None:
        return spell(value)
    if isinstance(value, Raw):
        return str.__str__(value)
    if isinstance(value, dict):
        return _object(value, newline, step)
    if isinstance(value, (list, tuple)):
        return _array(value, newline, step)
    return _subclass(value)


def _subclass(value: Any) -> str:
    """A scalar whose type derives from str, int or float, spelled as json spells it."""
    if isinstance(value, str):
        return encode_basestring_ascii(value)
    if value is True or value is False:
        return _bool(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _array(items: list[Any] | tuple[Any, ...], newline: str, step: str) -> str:
    if not items:
        return "[]"
    inner = newline + step
    texts = []
    leaf = True
    for item in items:
        kind = type(item)
        if kind is str:
            texts.append(encode_basestring_ascii(item))
        elif kind is dict:
            leaf = leaf and not item
            texts.append(_object(item, inner, step))
        elif kind is Raw:
            leaf = False
            texts.append(item)
        else:
            if isinstance(item, (dict, list, tuple)) and item:
                leaf = False
            texts.append(_value(item, inner, step))
    if leaf:
        return "[" + ", ".join(texts) + "]"
    return "[" + inner + ("," + inner).join(texts) + newline + "]"


def _object(data: dict[Any, Any], newline: str, step: str) -> str:
    if not data:
        return "{}"
    inner = newline + step
    texts = []
    leaf = True
    for key, item in data.items():
        name = _name(key)
        kind = type(item)  # the common scalars inline, the rest through _value
        if kind is str:
            texts.append(name + encode_basestring_ascii(item))
        elif kind is float and -_INFINITY < item < _INFINITY:
            texts.append(name + float.__repr__(item))
        elif kind is int:
            texts.append(name + int.__repr__(item))
        elif item is None:
            texts.append(name + "null")
        elif item is True:
            texts.append(name + "true")
        elif item is False:
            texts.append(name + "false")
        else:
            if isinstance(item, (dict, list, tuple, Raw)) and item:
                leaf = False
            texts.append(name + _value(item, inner, step))
    if leaf:
        return "{" + ", ".join(texts) + "}"
    return "{" + inner + ("," + inner).join(texts) + newline + "}"
