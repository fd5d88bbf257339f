"""Runs Metaflow's own conformance suite (`test/core` of a Metaflow source checkout) against Flowlens.

The suite is never copied into this repository: it is read from the checkout named with
`--metaflow-src`. For every (test, graph) pair, the suite's own formatter writes the flow and its
checker script exactly as Metaflow's runner writes them; this script then runs them the way that
runner does (same environment, top-level options, run options, resume on failure, every checker),
with Flowlens's Python package, not Metaflow, first on PYTHONPATH. It prints one row per pair and a
summary, and can write every pair's output to a folder for reading.

    python3 test/conformance/run_suite.py --metaflow-src ~/src/metaflow [--only Test,..] [--graph g,..]
"""

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BUNDLED_PYTHON = os.path.join(REPO, "dist", "python")

# The context Metaflow's runner uses for local runs; the others need cloud services or are disabled.
DEFAULT_CONTEXT = "python3-all-local"


class Pair(object):
    """One generated flow: a test class of the suite on one graph shape."""

    def __init__(self, test_name, graph_name, formatter):
        self.test = test_name
        self.graph = graph_name
        self.formatter = formatter

    @property
    def key(self):
        return "%s/%s" % (self.test, self.graph)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Run Metaflow's test/core conformance suite against Flowlens.")
    p.add_argument("--metaflow-src", required=True, help="a checkout of Metaflow's source (the folder with test/core)")
    p.add_argument("--only", default="", help="comma-separated test class names (e.g. BasicArtifactTest)")
    p.add_argument("--graph", default="", help="comma-separated graph names (e.g. linear,foreach)")
    p.add_argument("--context", default=DEFAULT_CONTEXT, help="the suite's context to run (default %(default)s)")
    p.add_argument("--executors", default="cli", help="comma-separated: cli (python test_flow.py run) and/or api (Runner)")
    p.add_argument("--jobs", type=int, default=2, help="pairs run at once (default %(default)s)")
    p.add_argument("--python", default=sys.executable, help="the interpreter the flows run with")
    p.add_argument("--flowlens-python", default=BUNDLED_PYTHON, help="Flowlens's built Python package folder (default: this checkout's dist/python)")
    p.add_argument("--out", default=os.path.join(REPO, "test-output", "conformance"), help="where each pair's output goes")
    p.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    p.add_argument("--keep", action="store_true", help="keep each pair's folder (its path is in the pair's transcript)")
    p.add_argument("--timeout", type=int, default=600, help="seconds one command of a pair may take")
    p.add_argument("--metaflow-client", action="store_true", help="also run the client checker (MetadataCheck) under the real Metaflow of --metaflow-src, against the run Flowlens made")
    return p.parse_args(argv)


def split_names(text):
    return set(t.strip().lower() for t in text.split(",") if t.strip())


def load_suite(core_dir, only, graphs, flowlens_python):
    """Imports the suite's tests and formatter (with Flowlens's `metaflow` on the path) and returns its pairs."""
    sys.path.insert(0, flowlens_python)
    sys.path.insert(1, core_dir)
    sys.path.insert(2, os.path.join(core_dir, "tests"))
    # Both come from the Metaflow checkout given on the command line, so no checker can resolve them.
    from metaflow_test import MetaflowTest  # pyright: ignore[reportMissingImports] (the suite's own base class)
    from metaflow_test.formatter import FlowFormatter  # pyright: ignore[reportMissingImports] (the suite's own generator)

    import importlib

    tests = []
    for name in sorted(os.listdir(os.path.join(core_dir, "tests"))):
        if not name.endswith(".py") or name.startswith("."):
            continue
        module = importlib.import_module(name[:-3])
        for attr in dir(module):
            obj = getattr(module, attr)
            if isinstance(obj, type) and issubclass(obj, MetaflowTest) and obj is not MetaflowTest:
                if not only or attr.lower() in only:
                    tests.append(obj())
    tests.sort(key=lambda t: (t.PRIORITY, type(t).__name__))
    graph_specs = []
    graph_dir = os.path.join(core_dir, "graphs")
    for name in sorted(os.listdir(graph_dir)):
        if name.endswith(".json") and not name.startswith("."):
            with open(os.path.join(graph_dir, name)) as f:
                spec = json.load(f)
            if not graphs or spec["name"].lower() in graphs:
                graph_specs.append(spec)
    pairs = []
    for test in tests:
        for spec in graph_specs:
            formatter = FlowFormatter(spec, test)
            if formatter.valid:
                pairs.append(Pair(type(test).__name__, spec["name"], formatter))
    return pairs


def context_of(core_dir, name):
    with open(os.path.join(core_dir, "contexts.json")) as f:
        contexts = json.load(f)
    for context in contexts["contexts"]:
        if context["name"] == name:
            return context, contexts["checks"]
    raise SystemExit("run_suite: no context %r in %s/contexts.json" % (name, core_dir))


def excluded_by_context(pair, context):
    if pair.test in context.get("disabled_tests", []):
        return "disabled in context %s" % context["name"]
    enabled = context.get("enabled_tests", [])
    if enabled and pair.test not in enabled:
        return "not enabled in context %s" % context["name"]
    return None


class PairRun(object):
    """Runs one pair in a fresh folder, as Metaflow's runner does, and keeps every command's output."""

    def __init__(self, pair, context, checks, args, core_dir):
        self.pair = pair
        self.context = context
        self.checks = checks
        self.args = args
        self.core_dir = core_dir
        self.transcript = []

    def environment(self):
        env = {"USER": os.environ.get("USER", "")}
        env.update((k, v.format(nonce=str(uuid.uuid4()))) for k, v in self.context["env"].items())
        env.update({
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PATH": os.environ.get("PATH", "."),
            "PYTHONIOENCODING": "utf_8",
            "PYTHONPATH": ":".join([self.core_dir] + self.extension_packages() + [self.args.flowlens_python]),
        })
        if "HOME" in os.environ:
            env["HOME"] = os.environ["HOME"]
        return env

    def extension_packages(self):
        """Metaflow's CI installs the extension packages of test/extensions before the suite; here they go on the path."""
        folder = os.path.join(os.path.dirname(self.core_dir.rstrip("/")), "extensions", "packages")
        try:
            return [os.path.join(folder, name) for name in sorted(os.listdir(folder)) if os.path.isdir(os.path.join(folder, name))]
        except OSError:
            return []

    def flow_command(self, mode, extra):
        cmd = [self.args.python, "-B", "test_flow.py"] + list(self.context["top_options"]) + [mode] + list(extra)
        return cmd + ["--run-id-file", "run-id"] + list(self.context["run_options"])

    def call(self, cmd, cwd, env):
        started = time.time()
        try:
            done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=self.args.timeout)
            code, out, err = done.returncode, done.stdout, done.stderr
        except subprocess.TimeoutExpired as e:
            code, out, err = "timeout", e.stdout or b"", e.stderr or b""
        self.transcript.append((cmd, code, time.time() - started, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")))
        return code

    def prepare(self, folder):
        f = self.pair.formatter
        with open(os.path.join(folder, "test_flow.py"), "w") as out:
            out.write(f.flow_code)
        with open(os.path.join(folder, "check_flow.py"), "w") as out:
            out.write(f.check_code)
        shutil.copytree(os.path.join(self.core_dir, "metaflow_test"), os.path.join(folder, "metaflow_test"))
        for name in f.copy_files:
            shutil.copy2(os.path.join(self.core_dir, "tests", name), os.path.join(folder, name))

    def run_flow(self, folder, env):
        """Returns None when the flow ran as the test expects, else the reason it did not."""
        f = self.pair.formatter
        code = self.call(self.flow_command("run", []), folder, env)
        if code != 0:
            if f.should_fail:
                return None
            if f.should_resume:
                code = self.call(self.flow_command("resume", [f.resume_step] if f.resume_step else []), folder, env)
                return None if code == 0 else "resume failed (exit %s)" % code
            return "run failed (exit %s)" % code
        if f.should_fail:
            return "the flow should have failed but did not"
        return None

    def run_checks(self, folder, env):
        if not os.path.exists(os.path.join(folder, "run-id")):
            return "no run-id file was written"
        with open(os.path.join(folder, "run-id")) as r:
            run_id = r.read()
        for name in self.context["checks"]:
            check = self.checks[name]
            cmd = [check["python"] if check["python"] != "python3" else self.args.python, "check_flow.py", check["class"], run_id]
            code = self.call(cmd + list(self.context["top_options"]), folder, env)
            if code != 0:
                return "checker %s failed (exit %s)" % (check["class"], code)
        if self.args.metaflow_client:
            # Metaflow's own client, not Flowlens's: it reads the run through the metadata records.
            path = [self.core_dir] + self.extension_packages() + [os.path.abspath(self.args.metaflow_src)]
            for name in self.context["checks"]:
                if self.checks[name]["class"] == "CliCheck":
                    continue
                cmd = [self.args.python, "check_flow.py", self.checks[name]["class"], run_id] + list(self.context["top_options"])
                code = self.call(cmd, folder, dict(env, PYTHONPATH=":".join(path)))
                if code != 0:
                    return "%s under Metaflow's own client failed (exit %s)" % (self.checks[name]["class"], code)
        return None

    def execute(self):
        folder = tempfile.mkdtemp(prefix="flowlens-conformance-")
        started = time.time()
        try:
            self.prepare(folder)
            env = self.environment()
            reason = self.run_flow(folder, env) or self.run_checks(folder, env)
        finally:
            if self.args.keep:
                self.transcript.insert(0, (["# folder", folder], 0, 0.0, "", ""))
            else:
                shutil.rmtree(folder, ignore_errors=True)
        return {"test": self.pair.test, "graph": self.pair.graph, "ok": reason is None, "reason": reason,
                "seconds": round(time.time() - started, 2), "detail": self.last_error_line()}

    def last_error_line(self):
        """The most telling line of the failing command's stderr, for the table."""
        for cmd, code, _, out, err in reversed(self.transcript):
            if code != 0:
                lines = [text.strip() for text in (err or out).splitlines() if text.strip()]
                for line in reversed(lines):
                    if not line.startswith(("File ", "^", "~")) and "Traceback" not in line:
                        return line[:300]
                return lines[-1][:300] if lines else ""
        return ""

    def write_transcript(self, out_dir):
        path = os.path.join(out_dir, "%s.%s.log" % (self.pair.test, self.pair.graph))
        with open(path, "w") as f:
            for cmd, code, seconds, out, err in self.transcript:
                f.write("$ %s\n# exit %s in %.2f s\n--- stdout\n%s\n--- stderr\n%s\n\n" % (" ".join(cmd), code, seconds, out, err))


def run_pair(item):
    pair, context, checks, args, core_dir, executor = item
    runner = PairRun(pair, context, checks, args, core_dir)
    if executor != "cli":
        result = {"test": pair.test, "graph": pair.graph, "ok": False, "reason": "executor %s is not driven yet" % executor, "seconds": 0, "detail": ""}
    else:
        result = runner.execute()
    result["executor"] = executor
    os.makedirs(args.out, exist_ok=True)
    runner.write_transcript(args.out)
    return result


def print_table(results, skipped, elapsed):
    width = max([len(r["test"]) for r in results] + [10])
    gwidth = max([len(r["graph"]) for r in results] + [5])
    for r in sorted(results, key=lambda r: (r["test"], r["graph"])):
        status = "pass" if r["ok"] else "FAIL"
        tail = "" if r["ok"] else "  %s: %s" % (r["reason"], r["detail"])
        print("%-*s  %-*s  %s %6.1fs%s" % (width, r["test"], gwidth, r["graph"], status, r["seconds"], tail))
    for pair, why in skipped:
        print("%-*s  %-*s  skip  %s" % (width, pair.test, gwidth, pair.graph, why))
    passed = sum(1 for r in results if r["ok"])
    tests = {}
    for r in results:
        tests.setdefault(r["test"], []).append(r["ok"])
    whole = sum(1 for oks in tests.values() if all(oks))
    print("")
    print("conformance: %d passed, %d failed, %d skipped by the context (%d of %d tests pass on every graph) in %.0f s"
          % (passed, len(results) - passed, len(skipped), whole, len(tests), elapsed))


def main(argv):
    args = parse_args(argv)
    core_dir = os.path.join(os.path.abspath(os.path.expanduser(args.metaflow_src)), "test", "core")
    if not os.path.isdir(os.path.join(core_dir, "metaflow_test")):
        print("run_suite: %s is not a Metaflow source checkout (no test/core/metaflow_test)" % args.metaflow_src, file=sys.stderr)
        return 2
    args.flowlens_python = os.path.abspath(args.flowlens_python)
    if not os.path.isdir(os.path.join(args.flowlens_python, "flowlens")):
        print("run_suite: %s is missing; run `npm run build` first" % args.flowlens_python, file=sys.stderr)
        return 2
    context, checks = context_of(core_dir, args.context)
    try:
        pairs = load_suite(core_dir, split_names(args.only), split_names(args.graph), args.flowlens_python)
    except Exception as e:  # the suite imports Metaflow names; one Flowlens lacks stops every pair
        print("run_suite: the suite cannot be loaded with Flowlens's metaflow package: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 1
    skipped = [(p, excluded_by_context(p, context)) for p in pairs if excluded_by_context(p, context)]
    work = [(p, context, checks, args, core_dir, ex) for p in pairs if not excluded_by_context(p, context)
            for ex in split_names(args.executors)]
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    started = time.time()
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for result in pool.map(run_pair, work):
            results.append(result)
            if not args.json:
                print("%s %s/%s" % ("." if result["ok"] else "x", result["test"], result["graph"]), file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps({"results": results, "skipped": [{"test": p.test, "graph": p.graph, "why": w} for p, w in skipped]}, indent=1))
    else:
        print_table(results, skipped, time.time() - started)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
