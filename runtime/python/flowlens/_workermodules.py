"""The flow modules a warm worker (_worker.py) has imported, kept while their file is unchanged.

A forked task inherits the module, so a flow file is imported once per worker rather than once
per task; an edit (a new mtime) imports it again.
"""

import os
import sys
import tempfile

from ._flowload import load_flow_module
from ._flowopts import set_task_context


class FlowModules(object):
    def __init__(self):
        self.modules = {}

    def load(self, path, spec, on_output):
        """The flow module at `path` for the task of `spec`.

        What the import prints (to fd 1 or 2) is given to `on_output(bytes)` once the import is
        over, since it belongs to the task that caused the import.
        """
        # Configs read while the flow is imported come from the run the task belongs to.
        set_task_context(spec)
        path = os.path.abspath(path)
        mtime = os.stat(path).st_mtime_ns
        cached = self.modules.get(path)
        if cached is not None and cached.__flowlens_mtime__ == mtime:
            # Pickles of classes defined in the flow file name `__main__`: it must be this flow's module.
            sys.modules["__main__"] = cached
            return cached
        saved = os.dup(1), os.dup(2)
        with tempfile.TemporaryFile() as tmp:
            os.dup2(tmp.fileno(), 1)
            os.dup2(tmp.fileno(), 2)
            try:
                module = load_flow_module(path)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                os.close(saved[0])
                os.close(saved[1])
                tmp.seek(0)
                printed = tmp.read()
                if printed:
                    on_output(printed)
        self.modules[path] = module
        return module
