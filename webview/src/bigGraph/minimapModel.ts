// The minimap's geometry, pure: the whole graph scaled into a small box, the part the panel shows
// as a rectangle on it, and the way back from a point on the map to a viewport centred there.
import type { ViewportState } from "../viewportState";
import type { Size } from "./readableFit";

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MinimapGeometry {
  /** Graph units → map pixels. */
  scale: number;
  size: Size;
  /** The panel's visible part of the graph, in map pixels (clipped to the map). */
  view: Rect;
}

export function minimapGeometry(graph: Size, panel: Size, vp: ViewportState, maxSize: Size): MinimapGeometry {
  const scale = Math.min(maxSize.width / Math.max(1, graph.width), maxSize.height / Math.max(1, graph.height));
  const size = { width: graph.width * scale, height: graph.height * scale };
  // The panel's corners in graph units, then in map pixels.
  const left = (-vp.x / vp.scale) * scale;
  const top = (-vp.y / vp.scale) * scale;
  const right = left + (panel.width / vp.scale) * scale;
  const bottom = top + (panel.height / vp.scale) * scale;
  const x0 = Math.max(0, left);
  const y0 = Math.max(0, top);
  return { scale, size, view: { x: x0, y: y0, width: Math.max(0, Math.min(size.width, right) - x0), height: Math.max(0, Math.min(size.height, bottom) - y0) } };
}

/** The viewport (at the current scale) that centres the panel on a point of the map. */
export function centreOn(point: { x: number; y: number }, geometry: MinimapGeometry, panel: Size, vp: ViewportState): ViewportState {
  const gx = point.x / geometry.scale;
  const gy = point.y / geometry.scale;
  return { scale: vp.scale, x: panel.width / 2 - gx * vp.scale, y: panel.height / 2 - gy * vp.scale };
}
