"""pytest setup for the card components with pandas and Pillow.

These libraries are optional for the runtime and absent from the interpreter that runs pytest,
so the cases run in FLOWLENS_PANDAS_PYTHON (a Python with pandas and Pillow; `npm run
setup:e2e` makes one) through rich_probe.py, once per session; the tests check its JSON output.
"""

import json
import os
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME_PYTHON = os.path.abspath(os.path.join(HERE, "..", "..", "..", "runtime", "python"))


@pytest.fixture(scope="session")
def probe():
    python = os.environ.get("FLOWLENS_PANDAS_PYTHON")
    if not python:
        pytest.fail("FLOWLENS_PANDAS_PYTHON is not set: these tests need a Python with pandas and Pillow (npm run setup:e2e makes one)")
    env = dict(os.environ, PYTHONPATH=RUNTIME_PYTHON, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([python, os.path.join(HERE, "rich_probe.py")], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)
