"""The indented JSON writer (dlp/report/jsontext.py) writes what json.dumps(indent=2, ensure_ascii=False) writes."""
from __future__ import annotations

import enum
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlp.report import jsontext

_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
            | st.text())
_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=5) | st.lists(children, max_size=3).map(tuple)
    | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=40,
)


@settings(max_examples=500, deadline=None)
@given(_VALUES)
def test_same_text_as_json_dumps(value: Any) -> None:
    assert jsontext.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


class _Colour(str, enum.Enum):
    RED = "red"


class _Level(enum.IntEnum):
    HIGH = 3


@pytest.mark.parametrize("value", [
    {},
    [],
    {"a": []},
    {"a": {}, "b": [{}]},
    {"path": "dir/\u0645\u0644\u0641.py", "masked": "****\"\\\n\t\u2028\x00"},
    [math.nan, math.inf, -math.inf, -0.0, 1e300, 0.1],
    {"colour": _Colour.RED, "level": _Level.HIGH},      # str and int subclasses, as json encodes them
    {1: "int key", None: "null key", 2.5: "float key"},  # keys json converts: left to json.dumps
    {"set": {1, 2}},                                       # not JSON: json.dumps raises, as always
])
def test_edge_values(value: Any) -> None:
    try:
        expected = json.dumps(value, indent=2, ensure_ascii=False)
    except TypeError:
        with pytest.raises(TypeError):
            jsontext.dumps(value)
        return
    assert jsontext.dumps(value) == expected


def test_circular_reference_is_reported_as_json_does() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        jsontext.dumps(loop)
