// The container command of every Flowlens Batch job and Kubernetes pod: a self-contained Python
// program (standard library + boto3) passed as `python3 -c`. It downloads and checks the code
// package (with retries), installs boto3 if the image lacks it, runs the task harness, and uploads
// the task's logs to S3 every few seconds and at exit, then the harness's result file, then has
// the attempt finished (flowlens._finish: DONE.lock and Metaflow's metadata records). Everything
// it needs comes from FLOWLENS_* environment variables set on the job.
//
// The harness is a fork of the bootstrap taken once botocore is imported and S3's service model
// loaded (one interpreter start, import and model for the pod, not two); the fork makes its own
// S3 client from the bootstrap's session, so no connection is shared.
//
// The finish runs in the harness's own process, which already has boto3 and its S3 client
// loaded (a third Python process doing only that cost a third of a pod's CPU): once the task is
// over the harness points its stdout and stderr at the container's stderr (the log pipes end),
// says "r" on the finish channel (a socket pair) and waits; the bootstrap stores the logs and the
// result, says "g", and the harness finishes the attempt and answers "0" (done) or "1". A harness
// that exits without saying "r" (killed, or a custom harness command) is finished as before, by
// flowlens._finish in a process of its own.

export const bootstrapSource = String.raw`
import datetime, hashlib, io, json, os, random, signal, socket, subprocess, sys, tarfile, tempfile, threading, time
E = os.environ
def say(msg):
    sys.stderr.write("[flowlens-batch] %s\n" % msg); sys.stderr.flush()
def ensure_boto3():
    try:
        import boto3, botocore  # noqa
        return
    except ImportError:
        pass
    if E.get("FLOWLENS_INSTALL_BOTO3", "1") != "1":
        say("boto3 is not installed in the image and FLOWLENS_INSTALL_BOTO3=0"); sys.exit(70)
    say("installing boto3")
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "boto3"])
ensure_boto3()
# botocore's own session, as boto3.client would make it (same credential chain, region, endpoint
# settings) without importing boto3's resource and transfer layers: a tenth of a second less.
import botocore.session
from botocore.config import Config
ep = E.get("AWS_ENDPOINT_URL_S3") or E.get("AWS_ENDPOINT_URL")
cfg = Config(retries={"max_attempts": 10, "mode": "adaptive"}, s3={"addressing_style": "path"} if ep else None)
session = botocore.session.get_session()
s3 = session.create_client("s3", endpoint_url=ep, config=cfg)
def split(url):
    b, _, k = url[len("s3://"):].partition("/")
    return b, k
def retry(what, fn, n=8):
    for i in range(n):
        try:
            return fn()
        except Exception as e:
            if i == n - 1:
                raise
            say("%s failed (%s), retrying" % (what, type(e).__name__))
            time.sleep(min(20.0, (2 ** i) * 0.2 * random.random()))
bucket, key = split(E["FLOWLENS_CODE_PACKAGE_URL"])
data = retry("code package download", lambda: s3.get_object(Bucket=bucket, Key=key)["Body"].read())
if hashlib.sha1(data).hexdigest() != E["FLOWLENS_CODE_PACKAGE_SHA"]:
    say("code package %s does not match its sha" % E["FLOWLENS_CODE_PACKAGE_URL"]); sys.exit(70)
work = tempfile.mkdtemp(prefix="flowlens-task-")
with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
    if hasattr(tarfile, "data_filter"):
        tar.extractall(work, filter="data")
    else:
        tar.extractall(work)
if E.get("FLOWLENS_TASK_SPEC"):
    spec = json.loads(E["FLOWLENS_TASK_SPEC"])
else:
    sb, sk = split(E["FLOWLENS_TASK_SPEC_URL"])
    spec = json.loads(retry("task spec download", lambda: s3.get_object(Bucket=sb, Key=sk)["Body"].read()))
spec["flowFile"] = os.path.join(work, E["FLOWLENS_FLOW_FILE"])
spec_path = os.path.join(work, "_flowlens_task.json")
result_path = os.path.join(work, "_flowlens_result.json")
with open(spec_path, "w") as f:
    json.dump(spec, f)
log_bucket, log_prefix = split(E["FLOWLENS_LOG_PREFIX"])
limit = int(E.get("FLOWLENS_MAX_LOG_BYTES", str(10 * 1024 * 1024)))
lock = threading.Lock()
logs = {"stdout": [], "stderr": []}
sizes = {"stdout": 0, "stderr": 0}
sent = {"stdout": -1, "stderr": -1}
cut = set()
# Stored lines are in Metaflow's mflog format (as the local harness writes them, flowlens/_logs.py):
# "[MFLOG|0|<UTC time>Z|task|<id>]<text>"; "task": the container took the time stamp. The id is a
# random token per stream and a counter. A stream's stamps strictly increase (Metaflow's reader
# sorts by stamp). Past the cap one marker line says the log was cut.
def pump(stream, name, echo):
    token = os.urandom(6).hex()
    n = last = 0
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace").rstrip("\n").rstrip("\r")
        n += 1
        last = max(time.time_ns() // 1000, last + 1)
        when = datetime.datetime.fromtimestamp(last // 1000000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        stamp = "[MFLOG|0|%s.%06dZ|task|%s-%d]" % (when, last % 1000000, token, n)
        echo.write(line + "\n"); echo.flush()
        with lock:
            if name in cut:
                continue
            if sizes[name] + len(stamp) + len(line) + 1 > limit:
                cut.add(name)
                mb = limit // (1024 * 1024)
                line = "[flowlens] %s truncated: the task printed more than %s" % (name, "%d MB" % mb if mb else "%d bytes" % limit)
                echo.write(line + "\n"); echo.flush()
            logs[name].append(stamp + line + "\n"); sizes[name] += len(stamp) + len(line) + 1
def upload_logs():
    for name in ("stdout", "stderr"):
        with lock:
            if sizes[name] == sent[name]:
                continue
            body = "".join(logs[name]).encode("utf-8"); size = sizes[name]
        try:
            retry("log upload", lambda: s3.put_object(Bucket=log_bucket, Key=log_prefix + "runtime_%s.log" % name, Body=body), n=4)
            sent[name] = size
        except Exception as e:
            say("could not upload %s log: %s" % (name, type(e).__name__))
stop = threading.Event()
def uploader():
    while not stop.wait(float(E.get("FLOWLENS_LOG_INTERVAL", "3"))):
        upload_logs()
env = dict(E)
runtime_dir = os.path.join(work, "_flowlens", "python")
env["PYTHONPATH"] = os.pathsep.join([runtime_dir, work] + ([E["PYTHONPATH"]] if E.get("PYTHONPATH") else []))
env["FLOWLENS_TASK_SPEC_FILE"] = spec_path
env["FLOWLENS_RESULT_FILE"] = result_path
env["FLOWLENS_LOGS_CAPTURED"] = "1"
# Metaflow's metadata records go to the datastore: this disk goes away with the container.
env["FLOWLENS_RECORDS_IN_DATASTORE"] = "1"
env["PYTHONUNBUFFERED"] = "1"
subst = {"{python}": sys.executable, "{spec}": spec_path, "{result}": result_path, "{flow}": spec["flowFile"]}
argv = json.loads(E["FLOWLENS_HARNESS_ARGV"])
chan, chan_child = socket.socketpair()
err_copy = os.dup(2)
env["FLOWLENS_FINISH_CHANNEL"] = "%d:%d" % (chan_child.fileno(), err_copy)
class Forked(object):
    """The runtime's task harness in a fork of this process, which has imported botocore and
    loaded S3's service model: no second interpreter, import and model (half a second of a
    pod's CPU). Forked before any thread starts; the child makes its own S3 client from this
    session (a connection is never shared) and exits as an interpreter does (atexit, threads)."""
    def __init__(self):
        out_r, out_w = os.pipe(); err_r, err_w = os.pipe()
        import boto3  # noqa: the harness's S3 storage uses it; imported once, here
        sys.stdout.flush(); sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:
            sys.exit(self.child(out_r, out_w, err_r, err_w))
        os.close(out_w); os.close(err_w)
        self.stdout, self.stderr = os.fdopen(out_r, "rb"), os.fdopen(err_r, "rb")
        self.returncode = None
    def child(self, out_r, out_w, err_r, err_w):
        try:
            chan.close(); chan_child.detach()  # the harness takes the channel by its number
            os.close(out_r); os.close(err_r)
            os.dup2(out_w, 1); os.dup2(err_w, 2); os.close(out_w); os.close(err_w)
            # As "python -u" makes them: the bootstrap timestamps each line as it arrives.
            sys.stdout = sys.__stdout__ = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding=sys.stdout.encoding, errors=sys.stdout.errors, write_through=True)
            sys.stderr = sys.__stderr__ = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding=sys.stderr.encoding, errors=sys.stderr.errors, write_through=True)
            os.environ.update(env)
            # "python -c" put the working directory first; the runtime and the flow's folder go first instead.
            sys.path[:] = [runtime_dir, work] + [p for p in sys.path if p not in ("", os.getcwd())]
            os.chdir(work)
            sys.argv = ["-c", spec_path, result_path]
            from flowlens import _s3storage
            _s3storage.share_botocore_session(session)
            from flowlens._remote_task import main
            return main([spec_path, result_path])
        except SystemExit as e:
            return e.code if isinstance(e.code, int) else int(e.code is not None)
        except BaseException:
            import traceback; traceback.print_exc()
            return 1
    def terminate(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except OSError:
            pass
    def wait(self):
        if self.returncode is None:
            status = os.waitpid(self.pid, 0)[1]
            self.returncode = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        return self.returncode
if argv == ["{harness}", "{spec}", "{result}"]:
    del data  # the code package's bytes: not the task's to keep
    proc = Forked()
else:  # a harness command of the job's own
    proc = subprocess.Popen([subst.get(a, a) for a in argv], cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=(chan_child.fileno(), err_copy))
chan_child.close(); os.close(err_copy)
signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
pumps = [threading.Thread(target=pump, args=(proc.stdout, "stdout", sys.stdout), daemon=True),
         threading.Thread(target=pump, args=(proc.stderr, "stderr", sys.stderr), daemon=True)]
for t in pumps:
    t.start()
up = threading.Thread(target=uploader, daemon=True); up.start()
for t in pumps:
    t.join()
# The logs have ended: the harness is waiting for its go ("r"), or it has exited (nothing).
waiting = chan.recv(1) == b"r"
stop.set(); up.join()
upload_logs()
finished = True
if os.path.exists(result_path):
    with open(result_path, "rb") as f:
        result = f.read()
    retry("result upload", lambda: s3.put_object(Bucket=log_bucket, Key=log_prefix + "flowlens_result.json", Body=result))
    # DONE.lock (the attempt is complete only now that its logs are stored) and Metaflow's
    # metadata records: the runtime's own module finishes the attempt, as it does for local tasks.
    answer = b""
    if waiting:
        try:
            chan.sendall(b"g")
            answer = chan.recv(1)
        except OSError:
            pass
    if answer in (b"0", b"1"):
        finished = answer == b"0"
    else:  # a harness without the channel, or one that died before it answered
        finish = [sys.executable, "-c", "import sys; del sys.path[0]; from flowlens._finish import main; sys.exit(main())", spec_path, result_path]
        finished = subprocess.call(finish, cwd=work, env=env) == 0
chan.close()
rc = proc.wait()
if not finished:
    say("could not finish the attempt (DONE.lock)")
    rc = rc or 70
# Nothing is left to do but exit: the last garbage collection of botocore's objects would cost
# a fifth of a second of CPU.
import gc; gc.freeze()
sys.exit(rc if rc >= 0 else 128 - rc)
`;

/**
 * How a container starts the task harness after the bootstrap unpacked the package: the default,
 * "{harness}", is the runtime's own harness (flowlens/_remote_task.py) in a fork of the bootstrap
 * (`Forked`); any other command runs as a process of its own (placeholders: bootstrap's `subst`).
 * The harness runs the task on the spec file and writes its result (plus the artifacts it
 * persisted) as JSON. The attempt is finished after the logs (see the header).
 */
export const defaultHarnessArgv = ["{harness}", "{spec}", "{result}"];
