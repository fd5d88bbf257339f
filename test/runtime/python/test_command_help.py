"""`python flow.py COMMAND --help` prints the command's own options (and, for run, the flow's
parameters), and a bad option names what is wrong, as Metaflow's command line does."""
import os
import re
import subprocess
import sys

from conftest import RUNTIME_PYTHON

from flowlens._cli import card, commandhelp, dump, logs, runrequest, tags

FLOW = """from metaflow import FlowSpec, Parameter, step
class P(FlowSpec):
    alpha = Parameter("alpha", default=0.5, help="learning rate")
    name = Parameter("name", required=True, help="who")
    @step
    def start(self):
        self.next(self.end)
    @step
    def end(self):
        pass
if __name__ == '__main__':
    P()
"""


def _flow_py(tmp_path, *args):
    flow = tmp_path / "flow.py"
    flow.write_text(FLOW)
    env = dict(os.environ, PYTHONPATH=RUNTIME_PYTHON)
    return subprocess.run([sys.executable, str(flow)] + list(args), env=env, capture_output=True, text=True, timeout=60, cwd=str(tmp_path))


def test_run_help_lists_the_flows_parameters_then_the_run_options(tmp_path):
    out = _flow_py(tmp_path, "run", "--help")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Usage: python flow.py run [OPTIONS]"
    options = [line.split()[0] for line in lines if line.startswith("  --")]
    assert options[:2] == ["--alpha", "--name"]
    assert re.search(r"--alpha FLOAT +learning rate  \[default: 0\.5\]", out.stdout)
    assert re.search(r"--name TEXT +who  \[required\]", out.stdout)
    assert "--max-workers INTEGER" in out.stdout and "--help" in options


def test_other_commands_print_their_own_usage(tmp_path):
    for command, usage in [("logs", "logs [OPTIONS] RUN_ID/STEP[/TASK_ID]"), ("resume", "resume [OPTIONS] [STEP]"), ("card", "card list|get|view")]:
        out = _flow_py(tmp_path, command, "-h")
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith("Usage: python flow.py " + usage), out.stdout
    top = _flow_py(tmp_path, "--help")
    assert "Commands:" in top.stdout


def test_a_last_option_without_value_is_named_as_unknown_or_as_missing_its_value(tmp_path):
    unknown = _flow_py(tmp_path, "run", "--bad-option")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "flowlens: unknown option --bad-option (this flow's parameters: --alpha, --name)"
    missing = _flow_py(tmp_path, "run", "--name", "x", "--alpha")
    assert missing.returncode == 2
    assert missing.stderr.strip() == "flowlens: --alpha needs a value"


def _listed(command):
    """Option names a command's help shows (`--a / --no-a` lists both)."""
    _, _, rows = commandhelp._COMMANDS[command]
    return set(name[2:] for spelling, _ in rows for name in re.findall(r"--[a-z-]+", spelling))


def test_help_lists_exactly_the_options_each_command_accepts():
    refused = set(runrequest._WHY_NOT) | set(runrequest._ACCEPTED)
    scanners = {
        "run": set(runrequest._RUN) - refused,
        "resume": set(runrequest._RESUME) - refused,
        "spin": set(runrequest._SPIN) - refused,
        "dump": set(dump._SPECS),
        "logs": set(logs._SPECS),
        "tag": set(tags._REPLACE) | set(tags._LIST),
        "card": set(card._LIST),
    }
    for command, accepted in scanners.items():
        assert _listed(command) == accepted, command
