// YAML text for the yamlViewer component when a card gives data instead of text (pure).

/** A small YAML writer for display (block style; strings quoted when YAML would read them otherwise). */
export function toYaml(value: unknown, indent: number): string {
  const pad = "  ".repeat(indent);
  if (Array.isArray(value)) return value.length === 0 ? "[]\n" : value.map((v) => `${pad}-${nested(v, indent)}`).join("");
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    return entries.length === 0 ? "{}\n" : entries.map(([k, v]) => `${pad}${scalar(k)}:${nested(v, indent)}`).join("");
  }
  return `${scalar(value)}\n`;
}

function nested(v: unknown, indent: number): string {
  if (typeof v === "object" && v !== null && Object.keys(v).length > 0) return `\n${toYaml(v, indent + 1)}`;
  return ` ${toYaml(v, 0)}`;
}

function scalar(v: unknown): string {
  if (typeof v !== "string") return JSON.stringify(v) ?? "null";
  return v === "" || /^[\s\-?:,[\]{}#&*!|>'"%@`]|[:#]\s|\s$|^(true|false|null|yes|no|~|[-+.\d].*)$/i.test(v) || v.includes("\n") ? JSON.stringify(v) : v;
}
