"""How a flow file is entered: `python flow.py run ...` hands its options to the runtime, and
`import metaflow` is Flowlens's API when Metaflow is not installed."""
import os
import subprocess
import sys

from conftest import RUNTIME_PYTHON

def test_running_the_file_directly_hands_its_options_to_the_runtime(tmp_path):
    # `python flow.py run ...` runs under Flowlens; the runtime checks the options as `flowlens run` does.
    flow = tmp_path / "hello.py"
    flow.write_text("from metaflow import FlowSpec, step\nclass H(FlowSpec):\n    @step\n    def start(self):\n        self.next(self.end)\n    @step\n    def end(self):\n        pass\nif __name__ == '__main__':\n    H()\n")
    env = dict(os.environ, PYTHONPATH=RUNTIME_PYTHON)
    out = subprocess.run([sys.executable, str(flow), "run", "--alpha", "3"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip() == "flowlens: unknown option --alpha (this flow has no parameters)"


def test_metaflow_alias_exports_the_api():
    import flowlens
    import metaflow
    from metaflow.exception import MetaflowException

    for name in ["FlowSpec", "step", "Parameter", "IncludeFile", "JSONType", "current", "retry", "catch", "timeout",
                 "resources", "environment", "batch", "parallel", "card", "kubernetes", "project"]:
        assert getattr(metaflow, name) is getattr(flowlens, name), name
    assert MetaflowException is flowlens.MetaflowException
