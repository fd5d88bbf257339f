// The run timeline drawn on a canvas: a time axis on top, a label column on the left, and per row
// either a step header or a task's attempt bars. Only the rows and time range on screen are drawn
// (layout.ts), once per animation frame however many wheel or mouse events arrived. Colours are
// read from VS Code's theme variables and read again when the theme changes.
import type { TimelineMessage, TimelineTask } from "../../../server/src/protocol/timeline";
import { formatMs } from "../../../server/src/protocol/durations";
import type { BarTone, PlacedBar, TimelineLayout, TimeView } from "./layout";
import { barsOfRow, clampScroll, describeBar, hitTest, layoutTimeline, panView, tickStep, visibleRows, xOf, zoomView } from "./layout";

export const rowHeight = 18;
const axisHeight = 24;
const labelWidth = 170;

interface Palette {
  background: string;
  foreground: string;
  muted: string;
  band: string;
  grid: string;
  tones: Record<BarTone, string>;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

function readPalette(): Palette {
  const s = getComputedStyle(document.body);
  const foreground = cssVar(s, "--vscode-foreground", "#888");
  return {
    background: cssVar(s, "--vscode-editor-background", "#fff"),
    foreground,
    muted: cssVar(s, "--vscode-descriptionForeground", foreground),
    band: cssVar(s, "--vscode-editorWidget-background", "rgba(128,128,128,0.12)"),
    grid: cssVar(s, "--vscode-editorLineNumber-foreground", "rgba(128,128,128,0.4)"),
    tones: {
      ok: cssVar(s, "--vscode-charts-green", "#388a34"),
      error: cssVar(s, "--vscode-charts-red", "#e51400"),
      retried: cssVar(s, "--vscode-charts-orange", "#d18616"),
      caught: cssVar(s, "--vscode-charts-purple", "#652d90"),
      busy: cssVar(s, "--vscode-charts-blue", "#1a85ff"),
      stopped: cssVar(s, "--vscode-disabledForeground", "#888"),
      idle: cssVar(s, "--vscode-disabledForeground", "#888"),
    },
  };
}

export interface DrawStats {
  rows: number;
  bars: number;
  drawnBars: number;
  ms: number;
}

export class TimelineView {
  private message: TimelineMessage | undefined;
  private layout: TimelineLayout | undefined;
  private view: TimeView = { start: 0, end: 1 };
  /** The whole run is in view: live updates keep it so as the run grows. */
  private fitted = true;
  private scrollTop = 0;
  private palette = readPalette();
  private frame = 0;
  private hover: { task: TimelineTask; bar: PlacedBar } | undefined;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly tip: HTMLDivElement,
    private readonly onDrawn: (stats: DrawStats) => void,
    private readonly onOpen: (task: TimelineTask, attempt: number) => void,
  ) {
    const ctx = canvas.getContext("2d", { alpha: false });
    if (!ctx) throw new Error("the timeline needs a 2D canvas");
    this.ctx = ctx;
    new ResizeObserver(() => this.schedule()).observe(canvas);
    // VS Code switches themes by changing the body's class.
    new MutationObserver(() => {
      this.palette = readPalette();
      this.schedule();
    }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
    canvas.addEventListener("wheel", (e) => this.wheel(e), { passive: false });
    canvas.addEventListener("mousemove", (e) => this.move(e.offsetX, e.offsetY));
    canvas.addEventListener("mouseleave", () => this.setHover(undefined));
    canvas.addEventListener("click", (e) => {
      const hit = this.hit(e.offsetX, e.offsetY);
      if (hit) this.onOpen(hit.task, hit.bar.attempt.attempt);
    });
    canvas.addEventListener("keydown", (e) => this.key(e));
  }

  show(message: TimelineMessage): void {
    this.message = message;
    this.layout = layoutTimeline(message);
    if (this.fitted) this.view = { start: this.layout.t0, end: this.layout.t1 };
    else this.view = panView(this.view, 0, this.layout);
    this.schedule();
  }

  fit(): void {
    this.fitted = true;
    if (this.layout) this.view = { start: this.layout.t0, end: this.layout.t1 };
    this.schedule();
  }

  zoom(factor: number, anchorX?: number): void {
    if (!this.layout) return;
    const plot = this.plotWidth();
    const x = anchorX ?? plot / 2;
    const anchor = this.view.start + (x / Math.max(1, plot)) * (this.view.end - this.view.start);
    this.view = zoomView(this.view, anchor, factor, this.layout);
    this.fitted = this.view.start <= this.layout.t0 && this.view.end >= this.layout.t1;
    this.schedule();
  }

  scrollBy(dy: number): void {
    this.scrollTop += dy;
    this.schedule();
  }

  private pan(dx: number): void {
    if (!this.layout) return;
    this.view = panView(this.view, (dx / Math.max(1, this.plotWidth())) * (this.view.end - this.view.start), this.layout);
    this.schedule();
  }

  private plotWidth(): number {
    return Math.max(1, this.canvas.clientWidth - labelWidth - 8);
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.ctrlKey || e.metaKey) this.zoom(e.deltaY > 0 ? 1.25 : 0.8, e.offsetX - labelWidth);
    else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) this.pan(e.shiftKey ? e.deltaY : e.deltaX);
    else this.scrollBy(e.deltaY);
  }

  private key(e: KeyboardEvent): void {
    const page = this.canvas.clientHeight - axisHeight;
    const actions: Record<string, () => void> = {
      ArrowDown: () => this.scrollBy(rowHeight),
      ArrowUp: () => this.scrollBy(-rowHeight),
      PageDown: () => this.scrollBy(page),
      PageUp: () => this.scrollBy(-page),
      Home: () => this.scrollBy(-Infinity),
      End: () => this.scrollBy(Infinity),
      ArrowLeft: () => this.pan(-40),
      ArrowRight: () => this.pan(40),
      "+": () => this.zoom(0.8),
      "=": () => this.zoom(0.8),
      "-": () => this.zoom(1.25),
      "0": () => this.fit(),
    };
    const action = actions[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  }

  private hit(offsetX: number, offsetY: number): { task: TimelineTask; bar: PlacedBar } | undefined {
    if (!this.layout || !this.message || offsetX < labelWidth || offsetY < axisHeight) return undefined;
    return hitTest(this.layout, offsetX - labelWidth, offsetY - axisHeight, this.scrollTop, rowHeight, this.view, this.plotWidth(), this.message.now);
  }

  private move(x: number, y: number): void {
    const hit = this.hit(x, y);
    this.setHover(hit);
    if (hit && this.message) {
      this.tip.textContent = describeBar(hit.task, hit.bar.attempt, hit.bar.tone, this.message.now).join("\n");
      this.tip.style.left = `${Math.min(x + 14, this.canvas.clientWidth - 260)}px`;
      this.tip.style.top = `${y + 16}px`;
    }
  }

  private setHover(hit: { task: TimelineTask; bar: PlacedBar } | undefined): void {
    this.tip.classList.toggle("hidden", !hit);
    this.canvas.style.cursor = hit ? "pointer" : "default";
    if (hit?.bar.attempt !== this.hover?.bar.attempt) {
      this.hover = hit;
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const t = performance.now();
    const { canvas, ctx, palette: p } = this;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = p.background;
    ctx.fillRect(0, 0, w, h);
    const layout = this.layout;
    const message = this.message;
    if (!layout || !message) return;
    const plot = this.plotWidth();
    const rowsHeight = h - axisHeight;
    this.scrollTop = clampScroll(this.scrollTop, rowsHeight, rowHeight, layout.rows.length);
    const { first, end } = visibleRows(this.scrollTop, rowsHeight, rowHeight, layout.rows.length);
    ctx.font = `12px ${getComputedStyle(document.body).fontFamily || "sans-serif"}`;
    ctx.textBaseline = "middle";
    this.drawAxis(plot, h);
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, axisHeight, w, rowsHeight);
    ctx.clip();
    let drawnBars = 0;
    for (let i = first; i < end; i++) {
      const row = layout.rows[i];
      if (!row) continue;
      const y = axisHeight + i * rowHeight - this.scrollTop;
      if (row.kind === "step") {
        ctx.fillStyle = p.band;
        ctx.fillRect(0, y, w, rowHeight);
        ctx.fillStyle = p.foreground;
        ctx.fillText(`${row.step}  (${row.tasks} task${row.tasks === 1 ? "" : "s"}, ${formatMs(row.wallMs)})`, 6, y + rowHeight / 2, w - 12);
        continue;
      }
      const task = row.task;
      ctx.fillStyle = p.muted;
      ctx.fillText(`${task.taskId}${task.index !== undefined ? ` [${task.index}]` : ""}`, 16, y + rowHeight / 2, labelWidth - 20);
      for (const bar of barsOfRow(task, this.view, plot, message.now)) {
        ctx.fillStyle = p.tones[bar.tone];
        const x = labelWidth + bar.x0;
        ctx.fillRect(x, y + 3, bar.x1 - bar.x0, rowHeight - 6);
        if (bar.attempt === this.hover?.bar.attempt) {
          ctx.strokeStyle = p.foreground;
          ctx.lineWidth = 1.5;
          ctx.strokeRect(x - 0.5, y + 2.5, bar.x1 - bar.x0 + 1, rowHeight - 5);
        }
        drawnBars++;
      }
    }
    ctx.restore();
    this.onDrawn({ rows: layout.rows.length, bars: layout.bars, drawnBars, ms: Math.round((performance.now() - t) * 10) / 10 });
  }

  private drawAxis(plot: number, h: number): void {
    const { ctx, palette: p, view } = this;
    const step = tickStep(view, plot);
    const origin = this.layout?.t0 ?? view.start;
    ctx.fillStyle = p.muted;
    ctx.strokeStyle = p.grid;
    ctx.lineWidth = 0.5;
    ctx.globalAlpha = 0.6;
    const firstTick = origin + Math.ceil((view.start - origin) / step) * step;
    for (let t = firstTick; t <= view.end; t += step) {
      const x = Math.round(labelWidth + xOf(t, view, plot)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, axisHeight - 4);
      ctx.lineTo(x, h);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    for (let t = firstTick; t <= view.end; t += step) {
      const label = formatMs(t - origin);
      const x = labelWidth + xOf(t, view, plot) + 3;
      // A label cut by the right edge would read as another number.
      if (x + ctx.measureText(label).width <= this.canvas.clientWidth) ctx.fillText(label, x, axisHeight / 2);
    }
  }
}
