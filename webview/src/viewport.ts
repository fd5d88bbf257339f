// Zoom and pan of the graph: one transform on the content group. Wheel zooms around the pointer,
// dragging the background pans, `fit` shows the whole graph. The state is plain numbers so the
// panel can persist it (getState/setState) and keep it across live updates.

export interface ViewportState {
  x: number;
  y: number;
  scale: number;
}

const minScale = 0.05;
const maxScale = 4;

export class Viewport {
  state: ViewportState = { x: 0, y: 0, scale: 1 };
  private content: SVGGElement | undefined;
  private drag: { x: number; y: number; startX: number; startY: number } | undefined;

  constructor(
    private readonly root: SVGSVGElement,
    private readonly onChange: (state: ViewportState) => void,
  ) {
    root.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    root.addEventListener("pointerdown", (e) => this.onPointerDown(e));
    root.addEventListener("pointermove", (e) => this.onPointerMove(e));
    root.addEventListener("pointerup", () => (this.drag = undefined));
    root.addEventListener("pointercancel", () => (this.drag = undefined));
  }

  attach(content: SVGGElement): void {
    this.content = content;
    this.apply();
  }

  set(state: ViewportState): void {
    this.state = { ...state, scale: clamp(state.scale) };
    this.apply();
  }

  fit(width: number, height: number): void {
    const rect = this.root.getBoundingClientRect();
    if (width <= 0 || height <= 0 || rect.width <= 0 || rect.height <= 0) return;
    const scale = clamp(Math.min(rect.width / width, rect.height / height, 1.5) * 0.95);
    this.set({ scale, x: (rect.width - width * scale) / 2, y: Math.max(8, (rect.height - height * scale) / 2) });
  }

  zoomBy(factor: number, cx?: number, cy?: number): void {
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
    if (dx !== 0 || dy !== 0) this.set({ scale, x: x + dx, y: y + dy });
  }

  private apply(): void {
    const { x, y, scale } = this.state;
    this.content?.setAttribute("transform", `translate(${x},${y}) scale(${scale})`);
    this.onChange(this.state);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
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
    this.set({ scale: this.state.scale, x: this.drag.x + e.clientX - this.drag.startX, y: this.drag.y + e.clientY - this.drag.startY });
  }
}

function clamp(scale: number): number {
  return Math.min(maxScale, Math.max(minScale, scale));
}
