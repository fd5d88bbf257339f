// The `--python` wrapper of "Debug step" (see debugStep.ts): the runtime's worker
// (`python -u <bundle>/_flowlens_launch.py worker`) runs under debugpy, connecting to VS Code's
// listening attach session; every other call (the interpreter probe) runs unchanged. Pure.
//
// debugpy starts the same launcher script, which puts the bundle first on sys.path; `-m debugpy`
// itself leaves the working directory second there (debugging runs only in a trusted workspace).

export function debugWrapperScript(python: string, port: number): string {
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  return `#!/bin/sh
# Written by Flowlens for "Debug step": the runtime's worker runs under debugpy, which connects to
# VS Code on 127.0.0.1:${port}; every other call (the interpreter probe) runs unchanged.
case "$1 $2 $3" in
  "-u "*_flowlens_launch.py" worker") exec ${q(python)} -u -m debugpy --connect 127.0.0.1:${port} --configure-subProcess true "$2" worker ;;
esac
exec ${q(python)} "$@"
`;
}
