// How explorer items read: label, description and tooltip text for each kind. Pure, so tests
// check the words a user sees.
import { formatBytes } from "./treeModel";
import type { RunItemStatus, TaskItem, TaskItemStatus, TreeItemData } from "./treeModel";
import { formatMemory } from "../../../server/src/protocol/failureReasons";
import { describeState } from "../../../server/src/protocol/runStates";
import { trustActionLabel } from "../trust/gate";
import { cardItemText } from "../cards/cardTreeItems";

export interface ItemText {
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id. */
  icon: string;
  /** A theme colour id for the icon. */
  color?: string;
}

/** A succeeded task with a mark: a warning, never the green pass of a plain success. */
const markIcon: [string, string] = ["warning", "editorWarning.foreground"];

const statusIcon: Record<RunItemStatus | TaskItemStatus, [string, string | undefined]> = {
  succeeded: ["pass", "testing.iconPassed"],
  failed: ["error", "testing.iconFailed"],
  running: ["sync~spin", undefined],
  cancelled: ["circle-slash", undefined],
  crashed: ["error", "testing.iconFailed"],
  incomplete: ["question", "editorWarning.foreground"],
  corrupt: ["warning", "editorWarning.foreground"],
  metaflow: ["history", undefined],
};

/** The word for a status: a run or task state reads as everywhere else (describeState). */
function statusWord(status: RunItemStatus | TaskItemStatus): string {
  if (status === "metaflow") return "no Flowlens record";
  return status === "incomplete" || status === "corrupt" ? status : describeState(status);
}

function time(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function params(p: Record<string, unknown>): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
}

export function itemText(item: TreeItemData): ItemText {
  switch (item.kind) {
    case "flow":
      return { label: item.flow, icon: "type-hierarchy" };
    case "run": {
      const [icon, color] = statusIcon[item.status] ?? ["circle-outline", undefined];
      const parts = [statusWord(item.status)];
      if (item.startedAt !== undefined) parts.push(time(item.startedAt));
      if (item.durationMs !== undefined) parts.push(duration(item.durationMs));
      const p = params(item.parameters);
      if (p) parts.push(p);
      const mode = item.record && item.record.mode !== "run" ? ` (${item.record.mode}${item.record.step ? ` ${item.record.step}` : ""}${item.record.origin_run_id ? ` from ${item.record.origin_run_id}` : ""})` : "";
      const tooltip = [`${item.flow}/${item.runId}${mode}`, `status: ${statusWord(item.status)}`, item.problem ? `problem: ${item.problem}` : "", p ? `parameters: ${p}` : "", item.record ? `file: ${item.record.file}` : ""].filter(Boolean).join("\n");
      return { label: `Run ${item.runId}`, description: parts.join(" · "), tooltip, icon: item.problem ? "warning" : icon, ...(color ? { color } : {}) };
    }
    case "step":
      return { label: item.step, icon: item.step === "_parameters" ? "settings" : "symbol-method" };
    case "task":
      return taskText(item);
    case "artifact": {
      const shape = item.preview?.shape ? ` ${item.preview.shape.join("×")}` : "";
      return {
        label: item.name,
        description: `${item.type}${shape} · ${formatBytes(item.size)}`,
        tooltip: item.preview?.repr ? `${item.type}${shape}\n${item.preview.repr.slice(0, 500)}` : item.type,
        icon: item.name === "_exception" ? "bug" : "symbol-variable",
      };
    }
    case "problem":
      return { label: item.message, icon: "warning", color: "editorWarning.foreground" };
    case "cards":
    case "card":
      return cardItemText(item);
    case "trust":
      return {
        label: trustActionLabel,
        description: "Restricted Mode",
        tooltip: "Restricted Mode: artifact values are not loaded (loading unpickles them, which can run code stored in this workspace). Names, types, sizes and the previews stored at run time are shown. Click to manage Workspace Trust.",
        icon: "shield",
        color: "editorWarning.foreground",
      };
  }
}

/** A task: its state, or its mark (a retried or caught success is never a plain green pass), and a failure's cause in plain words. */
function taskText(item: TaskItem): ItemText {
  const [icon, color] = item.mark ? markIcon : (statusIcon[item.status] ?? ["circle-outline", undefined]);
  const parts: string[] = [item.mark ? describeState(item.mark) : statusWord(item.status)];
  if (item.failure) parts.push(item.failure.headline);
  else if (item.mark === "caught" && item.caught) parts.push(item.caught.headline);
  if (item.index !== undefined) parts.push(`[${item.index}]`);
  if (item.input !== undefined) parts.push(`input ${item.input}`);
  if (item.attempts > 1 || item.attempt > 0) parts.push(`attempt ${item.attempt}`);
  if (item.problem) parts.push(item.problem);
  const tooltip = [
    `${item.flow}/${item.runId}/${item.step}/${item.taskId} (attempt ${item.attempt})`,
    item.failure ? `${describeState("failed")}: ${item.failure.headline}` : "",
    item.markDetail ?? "",
    item.peakRssBytes !== undefined ? `peak memory ${formatMemory(item.peakRssBytes)}` : "",
    item.caught?.traceback ?? "",
    item.failure || item.mark ? "Click to show the task's logs." : "",
  ].filter(Boolean);
  return { label: `Task ${item.taskId}`, description: parts.join(" · "), tooltip: tooltip.join("\n"), icon, ...(color ? { color } : {}) };
}
