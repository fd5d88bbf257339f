// The arguments the language server's CodeLens pass to Flowlens commands: {uri, file, flow, step?}.
// They arrive as `unknown` (a command can be called by anyone), so they are checked here once.

export interface LensArguments {
  uri: string;
  file: string;
  flow: string;
  step?: string;
}

export function parseLensArguments(x: unknown): LensArguments | undefined {
  if (typeof x !== "object" || x === null) return undefined;
  const o = x as Record<string, unknown>;
  if (typeof o.uri !== "string" || typeof o.file !== "string" || typeof o.flow !== "string") return undefined;
  if (o.step !== undefined && typeof o.step !== "string") return undefined;
  return { uri: o.uri, file: o.file, flow: o.flow, step: o.step };
}
