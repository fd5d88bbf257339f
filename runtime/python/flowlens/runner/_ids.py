"""After a Runner's command starts: the new run's id (from --run-id-file), and its client Run in
the datastore the run wrote (the flow's class name read from the file, the root found as the
runtime finds it)."""

import ast
import os

_TAIL_LINES = 20


def read_run_id(path, manager):
    """The id the run wrote; when the command ended without one, a RuntimeError with its stderr."""
    run_id = _written_id(path)
    if run_id:
        return run_id
    manager.sync_wait()
    # A file seen while it was being written (by a runtime that does not rename it into place)
    # is whole once the command has ended.
    run_id = _written_id(path)
    if run_id:
        return run_id
    with open(manager.log_files["stderr"], "r", encoding="utf-8", errors="replace") as f:
        tail = f.read().splitlines()[-_TAIL_LINES:]
    raise RuntimeError(
        "Error executing: '%s' (exit %s) before a run started:\n%s"
        % (" ".join(manager.command), manager.process.returncode, "\n".join(tail))
    )


def _written_id(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return f.read().strip() or None


def flow_name(flow_file):
    """The flow class `Name()` instantiates at the file's top level (`if __name__ == "__main__": Name()`)."""
    with open(flow_file, "rb") as f:
        tree = ast.parse(f.read(), flow_file)
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    # Top-level statements and `if` blocks first (where `Name()` starts the flow), then anywhere.
    top = [n for n in tree.body if isinstance(n, (ast.Expr, ast.If))]
    for nodes in ([m for n in top for m in ast.walk(n)], ast.walk(tree)):
        for node in nodes:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in classes:
                return node.func.id
    raise RuntimeError("Runner: %s has no `FlowClass()` call that starts its flow" % flow_file)


def _datastore_root(cwd, top_level, env):
    """The root the run used: the one rule of `flowlens._storage.datastore_root`, from the run's folder."""
    from .._storage import datastore_root

    kind = top_level.get("datastore") or env.get("FLOWLENS_DATASTORE") or "local"
    return datastore_root(kind, env, cwd, top_level.get("datastore_root"))


def client_run(flow_file, cwd, top_level, env, run_id):
    """The client's Run of `run_id`, bound to the datastore the run used (whatever our own cwd)."""
    from flowlens.client import Run
    from flowlens.client._layout import Layout
    from flowlens.client._settings import _endpoint
    from flowlens.client._storage import open_store

    layout = Layout(open_store(_datastore_root(cwd, top_level, env), endpoint_url=_endpoint()))
    return Run("%s/%s" % (flow_name(flow_file), run_id), _layout=layout, _namespace_check=False)
