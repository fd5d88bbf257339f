// Zoom and pan of the graph: one transform on the content group. Wheel zooms around the pointer
// (Ctrl/⌘+wheel always; a plain wheel pans instead while the graph overflows the panel), dragging
// the background pans, `fit` shows the graph at a readable scale (bigGraph/readableFit.ts) and is
// kept when the panel is resized until the user zooms or pans. The state is plain numbers so the
// panel can persist it (getState/setState) and keep it across live updates.
import { overflows, readableFit, type Size } from "./bigGraph/readableFit";
import type { ViewportState } from "./viewportState";

export type { ViewportState };

const minScale = 0.05;
const maxScale = 4;

export class Viewport {
  state: ViewportState = { x: 0, y: 0, scale: 1 };
  private content: SVGGElement | undefined;
  private drag: { x: number; y: number; startX: number; startY: number } | undefined;
  /** The drawing's size, for fitting again on resize and for the wheel's pan-or-zoom choice. */
  private size: Size = { width: 0, height: 0 };
  /** The last placement was a fit the user has not moved since: a resize fits again. */
  private fitted = false;
  private readonly listeners: ((state: ViewportState) => void)[] = [];

  constructor(
    private readonly root: SVGSVGElement,
    private readonly onChange: (state: ViewportState) => void,
  ) {
    root.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    root.addEventListener("pointerdown", (e) => this.onPointerDown(e));
    root.addEventListener("pointermove", (e) => this.onPointerMove(e));
    root.addEventListener("pointerup", () => (this.drag = undefined));
    root.addEventListener("pointercancel", () => (this.drag = undefined));
    new ResizeObserver(() => {
      if (this.fitted) this.fit(this.size.width, this.size.height);
      else this.apply();
    }).observe(root);
  }

  attach(content: SVGGElement, size?: Size): void {
    this.content = content;
    if (size) this.size = { width: size.width, height: size.height };
    this.apply();
  }

  /** Called after every change of the transform, and when the panel is resized. */
  onChanged(listener: (state: ViewportState) => void): void {
    this.listeners.push(listener);
  }

  panelSize(): Size {
    const rect = this.root.getBoundingClientRect();
    return { width: rect.width, height: rect.height };
  }

  /** A placement the user asked for (minimap, find): the panel no longer re-fits on resize. */
  navigate(state: ViewportState): void {
    this.fitted = false;
    this.set(state);
  }

  /** Centres the panel on a box (graph coordinates) at the current scale. */
  centre(box: { x: number; y: number; width: number; height: number }): void {
    const panel = this.panelSize();
    const { scale } = this.state;
    this.navigate({ scale, x: panel.width / 2 - (box.x + box.width / 2) * scale, y: panel.height / 2 - (box.y + box.height / 2) * scale });
  }

  set(state: ViewportState): void {
    this.state = { ...state, scale: clamp(state.scale) };
    this.apply();
  }

  fit(width: number, height: number): void {
    this.size = { width, height };
    // Kept even when the panel has no size yet (hidden): its first real size fits then.
    this.fitted = true;
    const fit = readableFit(this.size, this.panelSize());
    if (!fit) return;
    this.set({ scale: fit.scale, x: fit.x, y: fit.y });
  }

  /** The graph extends past the panel as it is shown now. */
  overflowing(): boolean {
    return overflows(this.size, this.panelSize(), this.state);
  }

  zoomBy(factor: number, cx?: number, cy?: number): void {
    this.fitted = false;
    const rect = this.root.getBoundingClientRect();
    const px = cx ?? rect.width / 2;
    const py = cy ?? rect.height / 2;
    const scale = clamp(this.state.scale * factor);
    const k = scale / this.state.scale;
    this.set({ scale, x: px - (px - this.state.x) * k, y: py - (py - this.state.y) * k });
  }

  /** Pans just enough to bring a box (graph coordinates) into view. */
  reveal(box: { x: number; y: number; width: number; height: number }): void {
    const rect = this.root.getBoundingClientRect();
    const { x, y, scale } = this.state;
    const left = box.x * scale + x;
    const top = box.y * scale + y;
    const right = left + box.width * scale;
    const bottom = top + box.height * scale;
    let dx = 0;
    let dy = 0;
    if (left < 0) dx = -left + 16;
    else if (right > rect.width) dx = rect.width - right - 16;
    if (top < 0) dy = -top + 16;
    else if (bottom > rect.height) dy = rect.height - bottom - 16;
    if (dx !== 0 || dy !== 0) this.navigate({ scale, x: x + dx, y: y + dy });
  }

  private apply(): void {
    const { x, y, scale } = this.state;
    this.content?.setAttribute("transform", `translate(${x},${y}) scale(${scale})`);
    this.onChange(this.state);
    for (const listener of this.listeners) listener(this.state);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    if (!e.ctrlKey && !e.metaKey && this.overflowing()) {
      // A big graph scrolls like a page; Ctrl/⌘+wheel (and a trackpad pinch) still zooms.
      const dx = e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX;
      const dy = e.shiftKey && e.deltaX === 0 ? 0 : e.deltaY;
      this.navigate({ scale: this.state.scale, x: this.state.x - dx, y: this.state.y - dy });
      return;
    }
    const rect = this.root.getBoundingClientRect();
    this.zoomBy(Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left, e.clientY - rect.top);
  }

  private onPointerDown(e: PointerEvent): void {
    // Dragging starts on the background only, so clicks on nodes stay clicks.
    if ((e.target as Element).closest(".node")) return;
    this.drag = { x: this.state.x, y: this.state.y, startX: e.clientX, startY: e.clientY };
    this.root.setPointerCapture(e.pointerId);
  }

  private onPointerMove(e: PointerEvent): void {
    if (!this.drag) return;
    this.navigate({ scale: this.state.scale, x: this.drag.x + e.clientX - this.drag.startX, y: this.drag.y + e.clientY - this.drag.startY });
  }
}

function clamp(scale: number): number {
  return Math.min(maxScale, Math.max(minScale, scale));
}
