"""Starts one of Flowlens's Python entry points with the bundled packages, never a workspace's.

    python -u <bundle>/_flowlens_launch.py worker           the warm task worker (flowlens._worker)
    python -u <bundle>/_flowlens_launch.py child RESULT_FD  one task without fork (flowlens._child)
    python <bundle>/_flowlens_launch.py preview             one artifact preview (flowlens._preview_artifact)
    python <bundle>/_flowlens_launch.py compare             value summaries for run comparison (flowlens._compare_values)
    python <bundle>/_flowlens_launch.py probe               version and package versions, as JSON

Why a script file: Python puts a script's own folder first on sys.path and not the working
directory, whereas `python -c` and `python -m` put the working directory first, so a `flowlens/`
or `metaflow/` folder there (or a `json.py`) would be imported instead of ours. This works the
same on every Python from 3.8 on. Isolated mode (`-I`) is not used: it would also drop the
user's PYTHONPATH and user site-packages, which come from the user's environment (not the
workspace) and which flows rely on, as they do under `python flow.py run`.

`flowlens` and `metaflow` are imported here, before the flow's folder goes first on sys.path
(as `python flow.py` does, so that `from mylib import x` beside the flow keeps working): from
then on `import metaflow` in the flow finds the bundled module already loaded.
"""

import os
import sys

_BUNDLE = os.path.dirname(os.path.realpath(os.path.abspath(__file__)))


def _pin_bundle_first():
    # A launcher such as `python -m debugpy ... <this file>` may leave the working directory
    # (or "") ahead of this folder: drop those implicit entries in front of it, then make sure
    # the bundle leads.
    cwd = os.getcwd()
    while sys.path and sys.path[0] in ("", cwd) and sys.path[0] != _BUNDLE:
        del sys.path[0]
    if not sys.path or sys.path[0] != _BUNDLE:
        sys.path.insert(0, _BUNDLE)


_PROBE_PACKAGES = ("numpy", "pandas", "scipy", "scikit-learn", "torch", "pyarrow", "boto3")


def _probe():
    # Package metadata only, so nothing heavy (numpy, pandas) is imported: about 50 ms.
    import json

    packages = {}
    try:
        from importlib import metadata

        for name in _PROBE_PACKAGES:
            try:
                packages[name] = metadata.version(name)
            except Exception:
                pass
    except Exception:
        pass
    version = "%d.%d.%d" % sys.version_info[:3]
    sys.stdout.write(json.dumps({"executable": sys.executable, "version": version, "packages": packages}) + "\n")


def main():
    _pin_bundle_first()
    entry = sys.argv[1] if len(sys.argv) > 1 else ""
    # The entry's own arguments start at argv[1], as if it had been started directly.
    sys.argv = [sys.argv[0]] + sys.argv[2:]
    if entry == "probe":
        return _probe()
    if entry not in ("worker", "child", "preview", "compare"):
        sys.stderr.write("_flowlens_launch.py: unknown entry %r (worker, child, preview, compare, probe)\n" % entry)
        sys.exit(2)
    import flowlens  # noqa: F401  (pinned: see the module docstring)
    import metaflow  # noqa: F401

    if entry == "worker":
        from flowlens._worker import main as run
    elif entry == "child":
        from flowlens._child import main as run
    elif entry == "compare":
        from flowlens._compare_values import main as run
    else:
        from flowlens._preview_artifact import main as run
    run()


if __name__ == "__main__":
    main()
