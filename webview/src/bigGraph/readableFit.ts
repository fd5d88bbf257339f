// Where the graph goes when it is fitted to the panel. A small graph is shown whole and centred;
// a big one is never shrunk past the scale at which step names stay readable: it is fitted to the
// panel's width if that is readable, otherwise shown at the readable scale from its top, and the
// rest is reached by scrolling (the wheel pans while the graph overflows), the minimap or find.
import type { ViewportState } from "../viewportState";

/** Step names are 12px (media/graph.css); below this scale they fall under ~9.5px and blur into shapes. */
export const minReadableScale = 0.8;
/** A small graph is not blown up past this. */
const maxFitScale = 1.5;
/** A margin around a fitted graph, as a fraction of the panel. */
const margin = 0.95;

export interface Size {
  width: number;
  height: number;
}

export interface Fit extends ViewportState {
  /** The whole graph does not fit at a readable scale: part of it is off screen. */
  overflows: boolean;
}

export function readableFit(graph: Size, panel: Size): Fit | undefined {
  if (graph.width <= 0 || graph.height <= 0 || panel.width <= 0 || panel.height <= 0) return undefined;
  const whole = Math.min(panel.width / graph.width, panel.height / graph.height, maxFitScale) * margin;
  if (whole >= minReadableScale) {
    return { scale: whole, x: (panel.width - graph.width * whole) / 2, y: Math.max(8, (panel.height - graph.height * whole) / 2), overflows: false };
  }
  // A graph that overflows anyway is not enlarged past its natural size to fill the width.
  const toWidth = Math.min((panel.width / graph.width) * margin, 1);
  const scale = Math.max(minReadableScale, toWidth);
  // Centred when the width fits; otherwise the left edge shows (where a layered layout starts).
  const x = graph.width * scale <= panel.width ? (panel.width - graph.width * scale) / 2 : 8;
  return { scale, x, y: 8, overflows: true };
}

/** Whether the graph, as the viewport shows it now, extends past the panel. */
export function overflows(graph: Size, panel: Size, vp: ViewportState): boolean {
  const tolerance = 2;
  return vp.x < -tolerance || vp.y < -tolerance || vp.x + graph.width * vp.scale > panel.width + tolerance || vp.y + graph.height * vp.scale > panel.height + tolerance;
}
