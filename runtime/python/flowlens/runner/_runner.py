"""Metaflow's Runner API on Flowlens: `Runner("flow.py").run(alpha=1)` starts `python flow.py run
--alpha 1` (Flowlens's command line, the same engine as `flowlens run`) and returns an
ExecutingRun whose `.run` is the client's Run of the new run."""

import asyncio
import os
import sys

import tempfile

from ._command import CommandManager
from ._ids import client_run, read_run_id
from ._options import as_options, parameter_options

_COMMON = ("tags", "max_workers", "max_num_splits", "max_log_size", "decospecs", "run_id_file", "runner_attribute_file")
_RUN = _COMMON + ("user_namespace",)
_RESUME = _COMMON + ("origin_run_id", "run_id", "clone_only", "reentrant", "resume_identifier")
_SPIN = ("skip_decorators", "artifacts_module", "persist", "max_log_size", "run_id_file", "runner_attribute_file")
_POLL_SECONDS = 0.05


class ExecutingProcess(object):
    def __init__(self, runner, command_obj):
        self.runner = runner
        self.command_obj = command_obj

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.runner.__exit__(*exc)

    async def wait(self, timeout=None, stream=None):
        await self.command_obj.wait(timeout, stream)
        return self

    @property
    def returncode(self):
        return self.command_obj.process.poll()

    @property
    def status(self):
        """'timeout', 'running', 'failed' or 'successful' (of the process, as Metaflow's Runner says)."""
        if self.command_obj.timeout:
            return "timeout"
        code = self.command_obj.process.poll()
        if code is None:
            return "running"
        return "successful" if code == 0 else "failed"

    def _log(self, stream):
        with open(self.command_obj.log_files[stream], "r", encoding="utf-8", errors="replace") as f:
            return f.read()

    @property
    def stdout(self):
        return self._log("stdout")

    @property
    def stderr(self):
        return self._log("stderr")

    async def stream_log(self, stream, position=None):
        async for item in self.command_obj.stream_log(stream, position):
            yield item


class ExecutingRun(ExecutingProcess):
    """A run started by a Runner: `.run` is its client Run."""

    def __init__(self, runner, command_obj, run):
        ExecutingProcess.__init__(self, runner, command_obj)
        self.run = run


class ExecutingTask(ExecutingProcess):
    """A step spun by a Runner: `.task` is its client Task (in the new run Flowlens makes for it)."""

    def __init__(self, runner, command_obj, task):
        ExecutingProcess.__init__(self, runner, command_obj)
        self.task = task


class Runner(object):
    """Runs a flow file as `python flow.py` would, from Python; a context manager that cleans up."""

    def __init__(self, flow_file, show_output=True, profile=None, env=None, cwd=None, file_read_timeout=3600, **kwargs):
        self.cwd = os.path.abspath(cwd or os.getcwd())
        self.flow_file = os.path.join(self.cwd, flow_file) if not os.path.isabs(flow_file) else flow_file
        if not os.path.isfile(self.flow_file):
            raise FileNotFoundError("Runner: no flow file at %s" % self.flow_file)
        self.show_output = show_output
        self.env_vars = dict(os.environ)
        self.env_vars.update(env or {})
        if profile:
            self.env_vars["METAFLOW_PROFILE"] = profile
        self.file_read_timeout = file_read_timeout
        self.top_level_kwargs = kwargs
        self._top = as_options(kwargs)  # a bad keyword fails here, before anything runs
        self._commands = []

    # ---- context manager --------------------------------------------------------------
    def __enter__(self):
        return self

    async def __aenter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()

    async def __aexit__(self, *exc):
        self.cleanup()

    def cleanup(self):
        """Stops what still runs and removes the log files."""
        for command in self._commands:
            command.cleanup()
        self._commands = []

    # ---- starting ---------------------------------------------------------------------
    def _launch(self, command, kwargs, known, positional=()):
        """Starts `python flow.py [top options] command ...`; the run id lands in a file of ours
        (and in the caller's run_id_file too, as Metaflow writes it)."""
        kwargs = dict(kwargs)
        user_file = kwargs.pop("run_id_file", None)
        if command == "resume" and kwargs.get("step_to_rerun") is not None:
            positional = [str(kwargs["step_to_rerun"])]
        kwargs.pop("step_to_rerun", None)
        workdir = tempfile.mkdtemp(prefix="flowlens-runner-")
        id_path = os.path.join(workdir, "run-id")
        args = list(positional) + parameter_options(kwargs, known) + ["--run-id-file", id_path]
        argv = [sys.executable, self.flow_file] + self._top + [command] + args
        manager = CommandManager(argv, self.env_vars, self.cwd, self.show_output, workdir)
        self._commands.append(manager)
        return manager, id_path, user_file

    def _result(self, manager, id_path, user_file):
        run_id = read_run_id(id_path, manager)
        if user_file:
            with open(os.path.join(self.cwd, user_file), "w") as f:
                f.write(run_id)
        return client_run(self.flow_file, self.cwd, self.top_level_kwargs, self.env_vars, run_id)

    # ---- the API ----------------------------------------------------------------------
    def run(self, **kwargs):
        """Runs the flow to its end; keywords are run's options and the flow's parameters."""
        manager, path, user_file = self._launch("run", kwargs, _RUN)
        manager.sync_wait()
        return ExecutingRun(self, manager, self._result(manager, path, user_file))

    def resume(self, **kwargs):
        """Resumes (step_to_rerun=, origin_run_id=, ...) to the end."""
        manager, path, user_file = self._launch("resume", kwargs, _RESUME)
        manager.sync_wait()
        return ExecutingRun(self, manager, self._result(manager, path, user_file))

    def spin(self, pathspec, **kwargs):
        """Runs one step again on an earlier run's inputs; `.task` is the new task."""
        manager, path, user_file = self._launch("spin", kwargs, _SPIN, [str(pathspec)])
        manager.sync_wait()
        run = self._result(manager, path, user_file)
        # STEP, RUN_ID/STEP or FLOW/RUN_ID/STEP (a single task is refused before anything runs).
        return ExecutingTask(self, manager, run[str(pathspec).split("/")[-1]].task)

    async def async_run(self, **kwargs):
        """Starts the run and returns once it has an id; await `.wait()` for its end."""
        manager, path, user_file = self._launch("run", kwargs, _RUN)
        return ExecutingRun(self, manager, await self._async_result(manager, path, user_file))

    async def async_resume(self, **kwargs):
        manager, path, user_file = self._launch("resume", kwargs, _RESUME)
        return ExecutingRun(self, manager, await self._async_result(manager, path, user_file))

    async def _async_result(self, manager, path, user_file):
        waited = 0.0
        while not os.path.exists(path) and not manager.finished() and waited < self.file_read_timeout:
            await asyncio.sleep(_POLL_SECONDS)
            waited += _POLL_SECONDS
        if not os.path.exists(path):
            await asyncio.get_running_loop().run_in_executor(None, manager.sync_wait)
        return self._result(manager, path, user_file)
