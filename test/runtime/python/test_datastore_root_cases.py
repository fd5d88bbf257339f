"""The Python side finds the datastore by the same rule as the CLI and the editor
(test/cases/datastore-root.json, also run by test/unit/runtime/datastoreRoot.test.ts)."""

import json
import os

import pytest

from flowlens._storage import datastore_root

_TABLE = os.path.join(os.path.dirname(__file__), "..", "..", "cases", "datastore-root.json")
_CASES = json.load(open(_TABLE, encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", _CASES, ids=[c["about"] for c in _CASES])
def test_datastore_root_case(case, tmp_path):
    root = str(tmp_path)
    for d in case["dirs"] + [case["cwd"]]:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    env = {k: v.replace("{root}", root) for k, v in case.get("env", {}).items()}
    given = case.get("given")
    got = datastore_root(case["kind"], env, os.path.join(root, case["cwd"]), None if given is None else given.replace("{root}", root))
    expect = case["expect"]
    assert got == (expect if expect == "" or expect.startswith("s3://") else os.path.abspath(os.path.join(root, expect)))


def test_a_reader_does_not_invent_a_folder(tmp_path):
    assert datastore_root("local", {}, str(tmp_path), create=False) is None
