// "Copy load snippet": Python that loads an artifact with the Metaflow Client API, which Flowlens's
// bundled `metaflow` module provides too. Pure.

export interface SnippetTarget {
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  name: string;
}

function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** A step with one task uses `.task`; a foreach step names its task by pathspec. */
export function loadSnippet(t: SnippetTarget, tasksInStep: number): string {
  const access = isIdentifier(t.name) ? `.data.${t.name}` : `[${JSON.stringify(t.name)}].data`;
  if (tasksInStep <= 1) {
    return `from metaflow import Flow\n\n${t.name.replace(/\W/g, "_")} = Flow(${JSON.stringify(t.flow)})[${JSON.stringify(t.runId)}][${JSON.stringify(t.step)}].task${access}\n`;
  }
  const pathspec = `${t.flow}/${t.runId}/${t.step}/${t.taskId}`;
  return `from metaflow import Task\n\n${t.name.replace(/\W/g, "_")} = Task(${JSON.stringify(pathspec)})${access}\n`;
}
