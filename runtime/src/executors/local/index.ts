// The local executor: Python workers on this machine. See docs/python-runtime.md.
export { LocalExecutor, type LocalExecutorOptions } from "./executor";
export { probePython, PythonUnavailableError, type PythonProbe } from "./probe";
export { resolvePythonDir } from "./pythonDir";
