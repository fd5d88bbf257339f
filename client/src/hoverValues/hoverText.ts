// The Markdown a hover adds below the static facts: the value from the latest run, or why there is
// none. Pure (no `vscode`), unit-tested; values are shortened so a hover stays a glance.
import type { ArtifactItem } from "../explorer/treeModel";
import type { PreviewResult } from "../previews/previewResult";
import { statsLine } from "../previews/previewResult";

/** At most this many characters of a value in a hover; the full preview is one click away. */
const maxChars = 600;
const tableRows = 5;

const fence = (text: string, lang = ""): string => {
  const shown = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  // A value holding ``` must not close the fence early.
  const ticks = "`".repeat(Math.max(3, ...[...shown.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${ticks}${lang}\n${shown}\n${ticks}`;
};

export function where(a: ArtifactItem): string {
  return `run \`${a.runId}\`, step \`${a.step}\`, task ${a.taskId}${a.attempt > 0 ? ` (attempt ${a.attempt})` : ""}`;
}

function body(r: PreviewResult): string {
  switch (r.kind) {
    case "json":
      return fence(JSON.stringify(r.value, null, 2), "json");
    case "text":
      return fence(r.text + (r.truncated ? "…" : ""));
    case "repr":
      return fence(r.text + (r.truncated ? "…" : ""), "python");
    case "table": {
      const head = `${r.type ?? "table"} of shape (${r.shape.join(", ")})${r.columns.length > 0 ? `, columns ${r.columns.slice(0, 12).join(", ")}${r.columns.length > 12 ? ", …" : ""}` : ""}`;
      const rows = r.rows.slice(0, tableRows).map((row) => row.map((v) => JSON.stringify(v)).join("  "));
      const stats = statsLine(r.stats);
      return [head, ...(stats ? [stats] : []), fence(rows.join("\n") + (r.total > tableRows ? `\n… ${r.total - tableRows} more rows` : ""))].join("\n\n");
    }
    case "image":
      return `an image (${r.mime}, ${Math.round((r.base64.length * 3) / 4)} bytes)`;
    case "error":
      return `The value could not be loaded: ${r.message}`;
  }
}

/** The value section: where it comes from, then the value. */
export function valueMarkdown(a: ArtifactItem, r: PreviewResult, openLink: string): string {
  return [`**Value in the latest run** — ${where(a)} · [open preview](${openLink})`, body(r)].join("\n\n");
}

/** Restricted Mode: no Python starts, so the value is not loaded; where it is still says. */
export function restrictedMarkdown(a: ArtifactItem | undefined): string {
  const at = a ? ` (latest: ${where(a)}, ${a.type})` : "";
  return `**Value not loaded**${at}: Flowlens loads values only in a trusted workspace, because loading one unpickles it, which can run code. Trust the workspace to see values here.`;
}

export function noRunMarkdown(flow: string, steps: readonly string[]): string {
  return steps.length === 0
    ? `**No value**: no step upstream sets this artifact.`
    : `**No value yet**: no recent run of \`${flow}\` has it at ${steps.map((s) => `\`${s}\``).join(", ")}. Run the flow to see its value here.`;
}
