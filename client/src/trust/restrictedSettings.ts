// Which settings a workspace may not choose in Restricted Mode, and how such a setting is read.
// A setting that picks a program, an interpreter, an endpoint, a datastore, a path or a root
// decides what runs or where the user's credentials are sent: in an untrusted workspace only the
// user's own value (or the default) counts. package.json lists the same settings in
// `capabilities.untrustedWorkspaces.restrictedConfigurations` (VS Code then ignores their
// workspace values too); a unit test derives that list from `isRestrictedSetting`. Pure.

const choosesWhatRunsOrWhere = /(^flowlens\.datastore\.)|path|root|endpoint|url|command|executable|program|interpreter|python/i;

/** Whether a `flowlens.*` setting picks a program, endpoint, datastore, path or root. */
export function isRestrictedSetting(name: string): boolean {
  return choosesWhatRunsOrWhere.test(name);
}

/** The parts of VS Code's `WorkspaceConfiguration.inspect()` result used here. */
export interface InspectedSetting<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/**
 * A restricted setting's value: the most specific one in a trusted workspace; the user's (else
 * the default) in an untrusted one, whatever the workspace's `.vscode/settings.json` says.
 */
export function restrictedValue<T>(inspected: InspectedSetting<T> | undefined, trusted: boolean, fallback: T): T {
  if (!inspected) return fallback;
  const chain = trusted ? [inspected.workspaceFolderValue, inspected.workspaceValue, inspected.globalValue, inspected.defaultValue] : [inspected.globalValue, inspected.defaultValue];
  for (const v of chain) if (v !== undefined) return v;
  return fallback;
}
