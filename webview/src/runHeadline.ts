// What a run says on a node beyond its colour: a failed step's headline in plain words, and the
// mark of a step that succeeded only after a retry or with an exception @catch swallowed. Both sit
// as a pill just under the node (the layout's spacing holds it, so nothing moves); a click
// on the pill asks the host for the step's logs (`stepLogs`), where the lines that show it are.
import { describeState } from "../../server/src/protocol/runStates";
import type { RunNodeStatus } from "../../server/src/protocol/webview";
import type { NodeBox } from "./render";
import { svg } from "./render";

const pillClass = "run-pill";
/** Width of one character of the pill's 9 px bold text, and the widest pill (longer text is cut; the tooltip has it all). */
const charWidth = 5.6;
const maxPillWidth = 220;

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A failure's headline cut to what a pill holds: the cause's words and the memory reached, or the exception's type. */
function shortFailure(status: RunNodeStatus, reason: string): string {
  const memory = /reaching ([\d.]+ [MG]B)/.exec(reason)?.[1];
  const head = status.cause === "signal" || status.cause === "exit" || status.cause === "infrastructure" ? reason : (reason.split(":")[0] ?? reason);
  return `✖ ${head}${memory ? ` · ${memory}` : ""}`;
}

/** The pill's words: the failure's headline, or the mark with its attempt count. */
export function pillText(status: RunNodeStatus): { text: string; kind: "failed" | "retried" | "caught"; full: string } | undefined {
  if (status.state === "failed" && status.reason) return { text: shortFailure(status, status.reason), kind: "failed", full: status.reason };
  if (status.state === "succeeded" && status.mark) {
    const detail = status.markDetail ?? describeState(status.mark);
    const attempt = /attempt (\d+)/.exec(detail)?.[1];
    const exception = /caught ([\w.]+)/.exec(detail)?.[1];
    const text = status.mark === "retried" ? `↻ attempt ${attempt ?? "2+"}` : `⚠ caught ${exception ?? "exception"}`;
    return { text, kind: status.mark, full: `${describeState(status.mark)}: ${detail}` };
  }
  return undefined;
}

/** Draws (or clears, for `undefined`) the run pill of one node. */
export function drawRunPill(g: SVGGElement, box: NodeBox | undefined, step: string, status: RunNodeStatus | undefined): void {
  g.querySelector(`.${pillClass}`)?.remove();
  const pill = status && box ? pillText(status) : undefined;
  if (!pill || !box) return;
  // As wide as its words need: a pill may overhang a narrow node.
  const width = Math.min(maxPillWidth, Math.max(box.width - 16, pill.text.length * charWidth + 14));
  const p = svg("g", { class: `${pillClass} run-pill-${pill.kind}`, transform: `translate(${(box.width - width) / 2},${box.height + 2})`, "data-logs-step": step, role: "button", "aria-label": `${pill.full}. Show the step's logs` });
  p.append(svg("rect", { width, height: 14, rx: 7 }), svg("text", { x: width / 2, y: 10.5, "text-anchor": "middle" }, shorten(pill.text, Math.floor((width - 14) / charWidth))), svg("title", {}, `${pill.full}\nClick to show the step's logs`));
  g.append(p);
}
