// "Run flow" on a flow with parameters: one input box per parameter, prefilled with the last value
// used for this flow (else the default), validated as the CLI will validate it, with the help text
// as the prompt. The last values are remembered per flow file in workspaceState.
import { execFile } from "node:child_process";
import * as vscode from "vscode";
import type { ParameterSpec } from "./parameters";
import { initialValue, parameterArgs, promptFor, validateParameter } from "./parameters";

const stateKey = (file: string): string => `flowlens.parameters:${file}`;

/** The flow's `_graph_info` from `flowlens show FILE --json` (the same analysis the run uses). */
export function readGraphInfo(node: string, cliPath: string, file: string, flow: string | undefined): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(node, [cliPath, "show", file, "--json"], { env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && !stdout) return reject(new Error(`flowlens show ${file} failed: ${stderr.trim() || err.message}`));
      try {
        const parsed = JSON.parse(stdout) as unknown;
        resolve(pickFlow(parsed, flow));
      } catch (e) {
        reject(new Error(`flowlens show ${file} --json printed no JSON: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  });
}

/** Step names of a `_graph_info`, in graph order. */
export function stepNames(graphInfo: unknown): string[] {
  const steps = (graphInfo as { steps?: unknown } | undefined)?.steps;
  return typeof steps === "object" && steps !== null ? Object.keys(steps) : [];
}

function pickFlow(parsed: unknown, flow: string | undefined): unknown {
  if (Array.isArray(parsed)) return (parsed as { flow?: string }[]).find((f) => f.flow === flow) ?? parsed[0];
  if (typeof parsed === "object" && parsed !== null && !("parameters" in parsed)) {
    const byName = parsed as Record<string, unknown>;
    return (flow && byName[flow]) ?? Object.values(byName)[0];
  }
  return parsed;
}

/** Asks for each parameter; undefined when the user cancels (Escape). */
export async function askParameters(state: vscode.Memento, file: string, flow: string, specs: ParameterSpec[]): Promise<string[] | undefined> {
  if (specs.length === 0) return [];
  const remembered = state.get<Record<string, string>>(stateKey(file));
  const answers: Record<string, string> = {};
  for (const [i, spec] of specs.entries()) {
    const value = await vscode.window.showInputBox({
      title: `Run ${flow}: parameter ${i + 1} of ${specs.length} — ${spec.name}`,
      prompt: promptFor(spec),
      value: initialValue(spec, remembered),
      placeHolder: spec.required ? "required" : "empty: the default",
      ignoreFocusOut: true,
      validateInput: (text) => validateParameter(spec, text),
    });
    if (value === undefined) return undefined;
    answers[spec.name] = value;
  }
  await state.update(stateKey(file), answers);
  return parameterArgs(specs, answers);
}
