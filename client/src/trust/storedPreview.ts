// What an artifact shows in Restricted Mode: only what can be read without unpickling it (its
// name, type and size from the attempt's data.json, and the JSON preview written at run time in
// `<attempt>.previews.json`). Pure: the previews feature opens the text as a read-only document.
import { formatBytes } from "../explorer/treeModel";
import type { ArtifactItem } from "../explorer/treeModel";

export interface StoredPreview {
  text: string;
  /** The document's extension: "json" when the value was stored as JSON, else "txt". */
  ext: "json" | "txt";
}

export function storedPreview(a: ArtifactItem): StoredPreview {
  const p = a.preview;
  const shape = p?.shape ? ` ${p.shape.join("×")}` : "";
  const header = [
    `${a.flow}/${a.runId}/${a.step}/${a.taskId} · ${a.name}`,
    `type: ${a.type}${shape}${p?.dtype ? ` (${p.dtype})` : ""} · ${formatBytes(a.size)}`,
    ...(p?.columns ? [`columns: ${p.columns.join(", ")}`] : []),
    "Restricted Mode: this is the preview stored when the run wrote the artifact; the value itself is loaded only in a trusted workspace.",
  ];
  if (p && p.json !== undefined) return { text: `${JSON.stringify(p.json, null, 2)}\n`, ext: "json" };
  const body = p?.repr ? p.repr : "(no preview was stored for this artifact)";
  return { text: `${header.join("\n")}\n\n${body}\n`, ext: "txt" };
}
