// Kubernetes resource quantities ("500m", "4096M", "2Gi", "1.5") as numbers, for the test API
// server's scheduling and limit checks.
const suffixes: Record<string, number> = { m: 1e-3, "": 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

export function parseQuantity(text: string | undefined): number {
  const m = /^([0-9.]+)(m|k|K|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(text ?? "").trim());
  if (!m) return NaN;
  return Number(m[1]) * (suffixes[m[2] ?? ""] ?? 1);
}
