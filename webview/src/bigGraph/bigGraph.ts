// Big graphs you can read: find a step (the toolbar's find box), the minimap, and collapsing a
// split's body. main.ts calls three hooks: `prepare` before layout, `drawn` after drawing, and
// `focusFind` for the keyboard; everything else lives here.
import type { FlowGraph } from "../../../server/src/protocol/graph";
import type { Drawing } from "../render";
import { svg } from "../render";
import type { GraphView } from "../toElk";
import type { Viewport } from "../viewport";
import { collapseView, collapsedId, collapsibleBodies } from "./collapse";
import { findSteps } from "./findStep";
import { Minimap } from "./minimap";

export interface BigGraphHost {
  root: SVGSVGElement;
  toolbar: HTMLElement;
  viewport: Viewport;
  /** Select a step in the graph (without moving the editor). */
  select(step: string): void;
  /** Lay out and draw the current flow again (after a collapse or an expand). */
  redraw(): void;
}

export interface BigGraph {
  /** The view to lay out: the flow's view with its collapsed splits folded. */
  prepare(flow: FlowGraph, view: GraphView): GraphView;
  /** After a drawing is in place: collapse toggles, the minimap, a pending find. */
  drawn(drawing: Drawing): void;
  focusFind(): void;
}

export function installBigGraph(host: BigGraphHost): BigGraph {
  const collapsed = new Map<string, Set<string>>();
  let flow: FlowGraph | undefined;
  let bodies = new Map<string, string[]>();
  let drawing: Drawing | undefined;
  /** A step find jumped to that was hidden: selected once the expanded graph is drawn. */
  let pending: string | undefined;
  const minimap = new Minimap(document.body, host.viewport);
  const find = findBox(host.toolbar);
  let matches: string[] = [];
  let at = 0;

  const collapsedOf = (name: string) => collapsed.get(name) ?? collapsed.set(name, new Set()).get(name)!;
  const jump = (step: string) => {
    const hiddenIn = [...(flow ? collapsedOf(flow.flow) : [])].find((s) => bodies.get(s)?.includes(step));
    if (hiddenIn !== undefined && flow) {
      collapsedOf(flow.flow).delete(hiddenIn);
      pending = step;
      host.redraw();
      return;
    }
    host.select(step);
    const box = drawing?.boxes.get(step);
    if (box) host.viewport.centre(box);
  };
  const search = (step: number) => {
    const names = flow ? Object.keys(flow.graph.steps) : [];
    const query = find.input.value;
    matches = findSteps(query, names);
    at = matches.length === 0 ? 0 : (at + step + matches.length) % matches.length;
    find.input.classList.toggle("no-match", query.trim() !== "" && matches.length === 0);
    find.count.textContent = query.trim() === "" ? "" : matches.length === 0 ? "no step" : `${at + 1}/${matches.length}`;
    const target = matches[at];
    if (target !== undefined) jump(target);
  };
  wireFindKeys(find, host, search, () => (at = 0));
  onCollapseClick(host, (split) => {
    if (!flow) return false;
    const set = collapsedOf(flow.flow);
    if (set.has(split)) set.delete(split);
    else set.add(split);
    host.redraw();
    return true;
  });

  return {
    prepare(next, view) {
      // Another flow (or file): the last search was about the old one.
      if (flow !== undefined && flow.flow !== next.flow) {
        find.input.value = "";
        find.input.classList.remove("no-match");
        find.count.textContent = "";
      }
      flow = next;
      bodies = collapsibleBodies(next);
      return collapseView(view, bodies, collapsedOf(next.flow));
    },
    drawn(next) {
      drawing = next;
      if (flow) addToggles(next, bodies, collapsedOf(flow.flow));
      minimap.show(next);
      if (pending !== undefined) {
        const step = pending;
        pending = undefined;
        jump(step);
      }
    },
    focusFind() {
      find.input.focus();
      find.input.select();
    },
  };
}

function findBox(toolbar: HTMLElement): { input: HTMLInputElement; count: HTMLSpanElement } {
  const input = document.createElement("input");
  input.id = "find-step";
  input.type = "search";
  input.placeholder = "Find a step (/)";
  input.setAttribute("aria-label", "Find a step: type part of its name; Enter goes to the next match");
  const count = document.createElement("span");
  count.id = "find-count";
  count.setAttribute("aria-live", "polite");
  toolbar.insertBefore(count, document.getElementById("status"));
  toolbar.insertBefore(input, count);
  return { input, count };
}

/** A "−" on each collapsible split's left edge (edges leave at the bottom, marks sit on the top
 * corners), and the folded node's split for expanding it. */
function addToggles(drawing: Drawing, bodies: Map<string, string[]>, collapsed: ReadonlySet<string>): void {
  for (const [split, body] of bodies) {
    const folded = drawing.nodes.get(collapsedId(split));
    if (folded) folded.dataset.split = split;
    const g = drawing.nodes.get(split);
    const box = drawing.boxes.get(split);
    if (!g || !box || collapsed.has(split)) continue;
    const toggle = svg("g", { class: "collapse-toggle", transform: `translate(0,${box.height / 2})`, "data-split": split, role: "button", "aria-label": `Collapse the ${body.length} steps of ${split}` });
    toggle.append(svg("circle", { r: 7 }), svg("text", { y: 4, "text-anchor": "middle" }, "−"), svg("title", {}, `Collapse the ${body.length} steps between ${split} and its join`));
    g.append(toggle);
  }
}

/** Typing searches from the first match; Enter / Shift+Enter step through the matches; Escape clears and leaves. */
function wireFindKeys(find: { input: HTMLInputElement }, host: BigGraphHost, search: (step: number) => void, restart: () => void): void {
  find.input.addEventListener("input", () => {
    restart();
    search(0);
  });
  find.input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      search(e.shiftKey ? -1 : 1);
    } else if (e.key === "Escape") {
      find.input.value = "";
      search(0);
      host.root.focus();
    }
  });
}

/** A click on a collapse toggle or a folded node toggles its split (`toggle` says whether it did). */
function onCollapseClick(host: BigGraphHost, toggle: (split: string) => boolean): void {
  // Capture phase: a toggle or a folded node is not a step, so main.ts's click handler never sees it.
  host.root.addEventListener(
    "click",
    (e) => {
      const target = e.target as Element;
      const split = target.closest<SVGGElement>(".collapse-toggle")?.dataset.split ?? target.closest<SVGGElement>(".node.type-collapsed")?.dataset.split;
      if (split !== undefined && toggle(split)) e.stopPropagation();
    },
    true,
  );
}
