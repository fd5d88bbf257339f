// Export of the drawing as a standalone SVG or a PNG. Theme colours live in CSS variables that a
// file outside the webview cannot resolve, so the computed colours are written onto a copy.

import type { Drawing } from "./render";

const copiedProperties = ["fill", "stroke", "stroke-width", "stroke-dasharray", "font-family", "font-size", "font-weight", "opacity"];

export function exportSvg(root: SVGSVGElement, drawing: Drawing): string {
  const copy = root.cloneNode(true) as SVGSVGElement;
  const originals = root.querySelectorAll<SVGElement>("*");
  const copies = copy.querySelectorAll<SVGElement>("*");
  originals.forEach((el, i) => {
    const target = copies[i];
    if (!target) return;
    const style = getComputedStyle(el);
    const declarations = copiedProperties.map((p) => `${p}:${style.getPropertyValue(p)}`).join(";");
    target.setAttribute("style", declarations);
  });
  const content = copy.querySelector("g.content");
  content?.setAttribute("transform", "translate(0,0)");
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("width", String(Math.ceil(drawing.width)));
  copy.setAttribute("height", String(Math.ceil(drawing.height)));
  copy.setAttribute("viewBox", `0 0 ${Math.ceil(drawing.width)} ${Math.ceil(drawing.height)}`);
  const background = getComputedStyle(document.body).getPropertyValue("background-color") || "white";
  copy.setAttribute("style", `background:${background}`);
  return new XMLSerializer().serializeToString(copy);
}

/** A PNG (base64, no data: prefix) at twice the drawing's size for sharp text. */
export async function exportPng(svgText: string, width: number, height: number): Promise<string> {
  const scale = 2;
  const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("export PNG: the SVG could not be rendered as an image"));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("export PNG: no 2D canvas");
    ctx.fillStyle = getComputedStyle(document.body).getPropertyValue("background-color") || "white";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL("image/png").replace(/^data:image\/png;base64,/, "");
  } finally {
    URL.revokeObjectURL(url);
  }
}
