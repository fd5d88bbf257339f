// A unified diff of two texts by lines (a longest-common-subsequence walk, trimmed of the common
// head and tail first, so two versions of a source file cost little). Pure.

/** Lines prefixed " ", "-" or "+", in hunks headed "@@ -l,n +l,n @@" with `context` lines around changes. */
export function unifiedDiff(a: string, b: string, context = 3): string {
  const x = splitLines(a);
  const y = splitLines(b);
  const ops = diffOps(x, y);
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]?.op === " ") {
      i += 1;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within 2 * context unchanged lines.
    for (let j = i; j < ops.length; j++) {
      if (ops[j]?.op !== " ") end = j;
      else if (j - end > 2 * context) break;
    }
    const stop = Math.min(ops.length, end + context + 1);
    const slice = ops.slice(start, stop);
    const first = slice[0];
    const aStart = (first?.ai ?? 0) + 1;
    const bStart = (first?.bi ?? 0) + 1;
    const aCount = slice.filter((o) => o.op !== "+").length;
    const bCount = slice.filter((o) => o.op !== "-").length;
    hunks.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`, ...slice.map((o) => `${o.op}${o.text}`));
    i = stop;
  }
  return hunks.join("\n");
}

interface Op {
  op: " " | "-" | "+";
  text: string;
  /** Index of the line in a (for " " and "-") or of the next line of a (for "+"). */
  ai: number;
  bi: number;
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function diffOps(x: string[], y: string[]): Op[] {
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head += 1;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail += 1;
  const xm = x.slice(head, x.length - tail);
  const ym = y.slice(head, y.length - tail);
  const ops: Op[] = [];
  for (let k = 0; k < head; k++) ops.push({ op: " ", text: x[k] ?? "", ai: k, bi: k });
  // LCS lengths from the end: lcs[i][j] for xm[i..], ym[j..].
  const n = xm.length;
  const m = ym.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array;
    const below = lcs[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) row[j] = xm[i] === ym[j] ? (below[j + 1] ?? 0) + 1 : Math.max(below[j] ?? 0, row[j + 1] ?? 0);
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && xm[i] === ym[j]) {
      ops.push({ op: " ", text: xm[i] ?? "", ai: head + i, bi: head + j });
      i += 1;
      j += 1;
    } else if (i < n && (j >= m || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      ops.push({ op: "-", text: xm[i] ?? "", ai: head + i, bi: head + j });
      i += 1;
    } else {
      ops.push({ op: "+", text: ym[j] ?? "", ai: head + i, bi: head + j });
      j += 1;
    }
  }
  for (let k = 0; k < tail; k++) ops.push({ op: " ", text: x[x.length - tail + k] ?? "", ai: x.length - tail + k, bi: y.length - tail + k });
  return ops;
}
