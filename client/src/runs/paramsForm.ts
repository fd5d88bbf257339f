// "Run flow" on a flow with parameters: one input box per parameter, prefilled with the last value
// used for this flow (else the default), validated as the CLI will validate it, with the help text
// as the prompt. The last values are remembered per flow file in workspaceState.
import * as vscode from "vscode";
import type { ParameterSpec } from "./parameters";
import { initialValue, parameterValues, promptFor, validateParameter } from "./parameters";

const stateKey = (file: string): string => `flowlens.parameters:${file}`;

/** Asks for each parameter; undefined when the user cancels (Escape). */
export async function askParameters(state: vscode.Memento, file: string, flow: string, specs: ParameterSpec[]): Promise<Record<string, string> | undefined> {
  if (specs.length === 0) return {};
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
  return parameterValues(specs, answers);
}
