"""The Python side reads parameter values by the same table as `flowlens run` and the run form
(test/cases/parameter-values.json, also run by test/unit/analysis/parameterValues.test.ts)."""

import json
import math
import os

import pytest

from flowlens.exceptions import ParameterError
from flowlens.parameters import JSONType, Parameter

_TABLE = os.path.join(os.path.dirname(__file__), "..", "..", "cases", "parameter-values.json")
_CASES = json.load(open(_TABLE, encoding="utf-8"))["cases"]
_TYPES = {"int": int, "float": float, "bool": bool, "str": str, "JSONType": JSONType}


def _label(case):
    return "%s %r" % (case["type"], case["text"])


@pytest.mark.parametrize("case", _CASES, ids=_label)
def test_parameter_case(case):
    param = Parameter("p", type=_TYPES[case["type"]])
    if case.get("error"):
        with pytest.raises(ParameterError):
            param.convert(case["text"])
        return
    value = param.convert(case["text"])
    if "float" in case:
        assert isinstance(value, float)
        expected = float(case["float"])
        assert (math.isnan(value) and math.isnan(expected)) or value == expected
    elif not case.get("accepted"):
        assert value == case["value"]
        # An int stays an int; a float parameter given "3" is the float 3.0, which equals 3.
        assert type(value) is type(case["value"]) or case["type"] == "float"
