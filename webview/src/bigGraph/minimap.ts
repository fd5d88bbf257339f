// The minimap: the whole graph in a small box in the panel's corner, with the part on screen as a
// rectangle; clicking or dragging on it moves the view there. Shown only while the graph overflows
// the panel. Drawn with the same theme variables as the graph (media/graph.css).
import type { Drawing } from "../render";
import { svg } from "../render";
import type { Viewport } from "../viewport";
import { centreOn, minimapGeometry, type MinimapGeometry } from "./minimapModel";

const maxSize = { width: 180, height: 140 };

export class Minimap {
  private readonly map: SVGSVGElement;
  private drawing: Drawing | undefined;
  private geometry: MinimapGeometry | undefined;
  private frame = 0;

  constructor(
    parent: HTMLElement,
    private readonly viewport: Viewport,
  ) {
    this.map = svg("svg", { id: "minimap", class: "hidden", role: "img", "aria-label": "Minimap: the whole graph; click to move the view" });
    parent.append(this.map);
    viewport.onChanged(() => this.schedule());
    const move = (e: PointerEvent) => {
      if (!this.geometry) return;
      const r = this.map.getBoundingClientRect();
      this.viewport.navigate(centreOn({ x: e.clientX - r.left, y: e.clientY - r.top }, this.geometry, this.viewport.panelSize(), this.viewport.state));
    };
    this.map.addEventListener("pointerdown", (e) => {
      this.map.setPointerCapture(e.pointerId);
      move(e);
    });
    this.map.addEventListener("pointermove", (e) => {
      if (this.map.hasPointerCapture(e.pointerId)) move(e);
    });
  }

  show(drawing: Drawing): void {
    this.drawing = drawing;
    this.update();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
    });
  }

  private update(): void {
    const d = this.drawing;
    const visible = d !== undefined && this.viewport.overflowing();
    this.map.classList.toggle("hidden", !visible);
    if (!d || !visible) return;
    const g = minimapGeometry(d, this.viewport.panelSize(), this.viewport.state, maxSize);
    this.geometry = g;
    this.map.setAttribute("width", String(Math.ceil(g.size.width)));
    this.map.setAttribute("height", String(Math.ceil(g.size.height)));
    const nodes = [...d.boxes].map(([id, b]) => {
      const selected = d.nodes.get(id)?.classList.contains("selected") === true;
      return svg("rect", { class: `mini-node${selected ? " selected" : ""}`, x: b.x * g.scale, y: b.y * g.scale, width: Math.max(1, b.width * g.scale), height: Math.max(1, b.height * g.scale) });
    });
    this.map.replaceChildren(...nodes, svg("rect", { class: "mini-view", ...g.view }));
  }
}
