// The `--python` wrapper of "Debug step" (see debugStep.ts): the runtime's worker
// (`python -u -c "from flowlens._worker import main; main()"`) runs under debugpy, connecting to
// VS Code's listening attach session; every other call (the interpreter probe) runs unchanged. Pure.

export function debugWrapperScript(python: string, port: number): string {
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  return `#!/bin/sh
# Written by Flowlens for "Debug step": the runtime's worker runs under debugpy, which connects to
# VS Code on 127.0.0.1:${port}; every other call (the interpreter probe) runs unchanged.
case "$3" in
  *flowlens._worker*) exec ${q(python)} -u -m debugpy --connect 127.0.0.1:${port} --configure-subProcess true -c "$3" ;;
esac
exec ${q(python)} "$@"
`;
}
