"""What governs one step's run: its decorators, @timeout's alarm, the check of `self.next`
against the static graph, and turning an exception into a TaskFailure (headline, traceback,
`file:line` of the innermost frame in the flow file)."""

import os
import signal
import traceback

from .decorators import timeout_seconds
from .exceptions import TimeoutException

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _graph_node(graph, step):
    if not graph:
        return None
    return (graph.get("steps") or {}).get(step)


def _flow_location(tb, files):
    """The innermost frame of the traceback in one of the user's flow files."""
    files = {os.path.realpath(f) for f in files if f}
    found = None
    for frame in traceback.extract_tb(tb):
        if os.path.realpath(frame.filename) in files:
            found = "%s:%d" % (frame.filename, frame.lineno)
    return found


def describe_exception(exc, flow_file, kind="user", step_file=None):
    """`step_file`: the file that defines the step, when a base flow in another module does."""
    tb = exc.__traceback__
    # Drop the harness's own frames before the user's code, so the traceback starts at the step.
    while tb is not None and os.path.dirname(os.path.abspath(tb.tb_frame.f_code.co_filename)) == _PACKAGE_DIR:
        if tb.tb_next is None:
            break
        tb = tb.tb_next
    headline = "%s: %s" % (type(exc).__name__, exc) if str(exc) else type(exc).__name__
    text = "".join(traceback.format_exception(type(exc), exc, tb))
    failure = {"headline": headline.splitlines()[0] if headline else type(exc).__name__, "traceback": text, "kind": kind}
    if headline and "\n" in headline:
        failure["headline"] = headline.split("\n", 1)[0]
    location = _flow_location(exc.__traceback__, (flow_file, step_file)) if flow_file or step_file else None
    if location:
        failure["location"] = location
    return failure


def _decorator_map(func, spec):
    out = {}
    for d in getattr(func, "decorators", []) or []:
        out[d.name] = dict(d.attributes)
    for d in spec.get("decorators") or []:
        out.setdefault(d["name"], dict(d.get("attributes") or {}))
    return out


def _check_transition(step, transition, node):
    """None when the self.next the task made is the one in the static graph, else a message."""
    if node is None:
        return None
    expected = list(node.get("next") or [])
    ntype = node.get("type")
    made = transition["next"]
    if ntype == "end":
        return None
    if ntype == "split-switch":
        cases = set((node.get("switch_cases") or {}).values()) or set(expected)
        if transition.get("condition") != node.get("condition") or made[0] not in cases:
            return "Step *%s* switched to *%s* on condition *%s*, but the flow's graph has cases %s on *%s*" % (
                step, made[0], transition.get("condition"), sorted(cases), node.get("condition"))
        return None
    problems = sorted(made) != sorted(expected)
    if ntype == "split-foreach" and transition.get("foreach") != node.get("foreach_artifact"):
        problems = True
    if ntype != "split-foreach" and transition.get("foreach") is not None:
        problems = True
    if (ntype == "split-parallel") != (transition.get("num_parallel") is not None):
        problems = True
    if problems:
        return "Step *%s* called self.next(%s) but the flow's graph says self.next(%s)%s" % (
            step,
            ", ".join("self." + n for n in made) + (", foreach=%r" % transition["foreach"] if transition.get("foreach") else ""),
            ", ".join("self." + n for n in expected) + (", foreach=%r" % node["foreach_artifact"] if node.get("foreach_artifact") else ""),
            ": did the file change after the run started? Run it again.",
        )
    return None


class _Timer(object):
    def __init__(self, seconds, step):
        self.seconds = seconds
        self.step = step

    def _fire(self, signum, frame):
        raise TimeoutException("Step *%s* timed out after %s seconds (@timeout)." % (self.step, _fmt_seconds(self.seconds)))

    def __enter__(self):
        if self.seconds and hasattr(signal, "setitimer"):
            self.previous = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, float(self.seconds))
        return self

    def __exit__(self, *exc):
        if self.seconds and hasattr(signal, "setitimer"):
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False


def _fmt_seconds(s):
    return ("%d" % s) if float(s).is_integer() else ("%.1f" % s)


def task_timeout(spec, func=None):
    if spec.get("timeoutSeconds"):
        return float(spec["timeoutSeconds"])
    attrs = _decorator_map(func, spec).get("timeout") if func is not None else None
    return float(timeout_seconds(attrs)) if attrs else 0.0


def _transition_result(transition):
    out: dict = {"next": list(transition["next"])}
    if transition.get("num_splits") is not None:
        out["foreachCount"] = int(transition["num_splits"])
    if transition.get("condition") is not None:
        out["switchValue"] = str(transition.get("switch_value"))
    return out
