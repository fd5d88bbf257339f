"""One `python flow.py ...` subprocess of a Runner: its output goes to two log files (and to this
process's stdout/stderr when show_output), read back as .stdout/.stderr or streamed line by line."""

import asyncio
import os
import shutil
import subprocess
import sys
import threading

_POLL_SECONDS = 0.05  # how often a log stream looks for new lines while the process still runs


class CommandManager(object):
    """`command` (argv), `process` (its Popen: .returncode), `log_files` {"stdout": path, "stderr": path}."""

    def __init__(self, command, env, cwd, show_output, workdir):
        self.command = list(command)
        self.timeout = False
        self._dir = workdir
        self.log_files = {s: os.path.join(self._dir, "%s.log" % s) for s in ("stdout", "stderr")}
        logs = {s: open(path, "wb") for s, path in self.log_files.items()}  # exist before anyone reads them
        self.process = subprocess.Popen(self.command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._pumps = [
            threading.Thread(target=self._pump, args=(self.process.stdout, logs["stdout"], sys.stdout if show_output else None), daemon=True),
            threading.Thread(target=self._pump, args=(self.process.stderr, logs["stderr"], sys.stderr if show_output else None), daemon=True),
        ]
        for t in self._pumps:
            t.start()

    @staticmethod
    def _pump(pipe, log, echo):
        with log:
            for chunk in iter(lambda: pipe.readline(), b""):
                log.write(chunk)
                log.flush()
                if echo is not None:
                    echo.write(chunk.decode("utf-8", errors="replace"))
                    echo.flush()
        pipe.close()

    def finished(self):
        return self.process.poll() is not None and not any(t.is_alive() for t in self._pumps)

    def sync_wait(self, timeout=None):
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.timeout = True
            self.kill()
            self.process.wait()
        for t in self._pumps:
            t.join()

    async def wait(self, timeout=None, stream=None):
        """Waits for the process (killing it after `timeout` seconds), printing `stream` as it comes."""

        async def until_done():
            if stream is None:
                while not self.finished():
                    await asyncio.sleep(_POLL_SECONDS)
                return
            async for _, line in self.stream_log(stream):
                sys.stdout.write(line + "\n")

        try:
            await asyncio.wait_for(until_done(), timeout)
        except asyncio.TimeoutError:
            self.timeout = True
            self.kill()
        await asyncio.get_running_loop().run_in_executor(None, self.sync_wait)

    async def stream_log(self, stream, position=None):
        """(position after the line, line) for each complete line of `stream`, until the process ends."""
        path = self.log_files[stream]
        position = position or 0
        pending = b""
        while True:
            done = self.finished()
            with open(path, "rb") as f:
                f.seek(position)
                data = f.read()
            pending += data
            position += len(data)
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                yield position - len(pending), line.decode("utf-8", errors="replace")
            if done:
                if pending:
                    yield position, pending.decode("utf-8", errors="replace")
                return
            await asyncio.sleep(_POLL_SECONDS)

    def kill(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def cleanup(self):
        self.kill()
        for t in self._pumps:
            t.join(5)
        shutil.rmtree(self._dir, ignore_errors=True)
