// A bounded, seeded fuzz of the language server over stdio: random edits streamed into a flow,
// requests of every kind at random positions (some with params of the wrong shape on purpose),
// a second document opened and closed, the text reset now and then, and at each reset a check
// that the incremental analysis equals a fresh one. It counts what went wrong rather than
// stopping at the first problem: `npm run fuzz` prints the counts; the fuzz test asserts on them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PublishDiagnosticsParams } from "vscode-languageserver-protocol";
import { percentile } from "../bench/stats";
import { seededRandom } from "../support/random";
import { LspClient, repoRoot, uriOf, type ServerKind } from "./client";
import { goodFlow } from "./fixtures";
import { applyEdit, positionAt, randomEdit } from "./randomEdits";

export interface FuzzOptions {
  edits: number;
  seed: number;
  kind?: ServerKind;
  /** Edits between two rounds of requests. */
  editsPerRound?: number;
  /** Edits between two resets of the text (each preceded by an incremental-vs-fresh check). */
  editsPerReset?: number;
  progress?: (message: string) => void;
}

export interface MethodFigures {
  count: number;
  latencies: number[];
  /** Error responses by code. */
  errors: Map<number, number>;
}

export interface FuzzReport {
  edits: number;
  seed: number;
  seconds: number;
  /** The server exited before it was asked to. */
  crashed: boolean;
  exitCode: number | null;
  methods: Map<string, MethodFigures>;
  /** InternalError (-32603) answers and failures the server logged. */
  internalErrors: string[];
  /** Requests sent with params of the wrong shape, and how many were refused with InvalidParams. */
  badParams: { sent: number; refused: number };
  equality: { checks: number; mismatches: string[] };
  rssStartMb: number;
  rssEndMb: number;
}

const featureRequests = ["textDocument/hover", "textDocument/completion", "textDocument/definition", "textDocument/references", "textDocument/documentSymbol", "textDocument/codeLens", "textDocument/codeAction", "textDocument/prepareRename", "textDocument/rename", "flowlens/graph"] as const;

function paramsFor(method: (typeof featureRequests)[number], uri: string, position: { line: number; character: number }): unknown {
  const textDocument = { uri };
  switch (method) {
    case "textDocument/references":
      return { textDocument, position, context: { includeDeclaration: true } };
    case "textDocument/documentSymbol":
    case "textDocument/codeLens":
      return { textDocument };
    case "textDocument/codeAction":
      return { textDocument, range: { start: position, end: position }, context: { diagnostics: [] } };
    case "textDocument/rename":
      return { textDocument, position, newName: "renamed_x" };
    case "flowlens/graph":
      return { uri };
    default:
      return { textDocument, position };
  }
}

/** Params of the wrong shape for every request (no usable `textDocument` nor `uri`), as a confused client sends them. */
const badParams: unknown[] = [
  null,
  {},
  [],
  { textDocument: null, uri: null },
  { textDocument: { uri: 1 }, uri: 1, position: { line: -1, character: 0 } },
  { textDocument: { uri: ["file:///x.py"] }, uri: { path: "/x.py" }, position: { line: "1", character: 0 } },
];

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

const shape = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).join(" ");

class Fuzz {
  readonly report: FuzzReport;
  private readonly next: () => number;
  private readonly uri = uriOf(join(repoRoot, "test-output", "lsp", "fuzz.py"));
  private readonly other = uriOf(join(repoRoot, "test-output", "lsp", "fuzz-other.py"));
  private text = goodFlow;
  private version = 1;
  private freshCount = 0;
  private otherOpen = false;
  private readonly started = performance.now();

  constructor(
    private readonly client: LspClient,
    private readonly options: FuzzOptions,
  ) {
    this.next = seededRandom(options.seed);
    this.report = { edits: 0, seed: options.seed, seconds: 0, crashed: false, exitCode: null, methods: new Map(), internalErrors: [], badParams: { sent: 0, refused: 0 }, equality: { checks: 0, mismatches: [] }, rssStartMb: NaN, rssEndMb: NaN };
  }

  private alive(): boolean {
    return this.client.child.exitCode === null && this.client.child.signalCode === null;
  }

  async run(): Promise<FuzzReport> {
    const perRound = this.options.editsPerRound ?? 25;
    const perReset = this.options.editsPerReset ?? 2500;
    this.client.open(this.uri, this.text, this.version);
    await this.client.diagnostics(this.uri, this.version, 60000);
    this.report.rssStartMb = rssMb(this.client.child.pid);
    for (let i = 1; i <= this.options.edits && this.alive(); i++) {
      this.edit();
      if (i % perRound === 0) await this.requests();
      if (i % perReset === 0 || i === this.options.edits) await this.checkAndReset(i < this.options.edits);
      if (i % 10000 === 0) this.options.progress?.(`fuzz: ${i} edits, ${((performance.now() - this.started) / 1000).toFixed(0)} s`);
    }
    this.report.rssEndMb = rssMb(this.client.child.pid);
    this.report.crashed = !this.alive();
    this.report.exitCode = this.client.child.exitCode;
    this.report.internalErrors.push(...this.client.logs.filter((l) => l.includes("failed")));
    this.report.seconds = (performance.now() - this.started) / 1000;
    return this.report;
  }

  private edit(): void {
    const r = this.next();
    if (r < 0.02) {
      // Two changes in one notification, each relative to the text after the one before.
      const a = randomEdit(this.text, this.next);
      const afterA = applyEdit(this.text, a);
      const b = randomEdit(afterA, this.next);
      this.client.change(this.uri, ++this.version, [
        { range: { start: positionAt(this.text, a.start), end: positionAt(this.text, a.end) }, text: a.insert },
        { range: { start: positionAt(afterA, b.start), end: positionAt(afterA, b.end) }, text: b.insert },
      ]);
      this.text = applyEdit(afterA, b);
    } else if (r < 0.025) {
      if (this.otherOpen) this.client.close(this.other);
      else this.client.open(this.other, goodFlow.replace(/TrainFlow/g, "OtherFlow"));
      this.otherOpen = !this.otherOpen;
    } else {
      const e = randomEdit(this.text, this.next);
      this.client.change(this.uri, ++this.version, [{ range: { start: positionAt(this.text, e.start), end: positionAt(this.text, e.end) }, text: e.insert }]);
      this.text = applyEdit(this.text, e);
    }
    this.report.edits++;
  }

  /** A few requests at random positions, sent together (as an editor does) and awaited. */
  private async requests(): Promise<void> {
    const sent: Promise<void>[] = [];
    const count = 1 + Math.floor(this.next() * 4);
    for (let k = 0; k < count; k++) {
      const method = featureRequests[Math.floor(this.next() * featureRequests.length)] ?? "textDocument/hover";
      const bad = this.next() < 0.05;
      // Positions past the end of a line or of the document are allowed: the server clamps them.
      const position = this.next() < 0.1 ? { line: 100000, character: 5 } : positionAt(this.text, Math.floor(this.next() * (this.text.length + 1)));
      const params = bad ? badParams[Math.floor(this.next() * badParams.length)] : paramsFor(method, this.uri, position);
      sent.push(this.request(method, params, bad));
    }
    await Promise.all(sent);
  }

  private async request(method: string, params: unknown, bad: boolean): Promise<void> {
    const figures = this.report.methods.get(method) ?? { count: 0, latencies: [], errors: new Map<number, number>() };
    this.report.methods.set(method, figures);
    if (bad) this.report.badParams.sent++;
    const t0 = performance.now();
    try {
      await this.client.request(method, params);
      if (!bad) figures.latencies.push(performance.now() - t0);
      figures.count++;
    } catch (error) {
      const code = (error as { code?: number }).code ?? 0;
      figures.count++;
      figures.errors.set(code, (figures.errors.get(code) ?? 0) + 1);
      if (bad && code === -32602) this.report.badParams.refused++;
      if (code === -32603) this.report.internalErrors.push(`${method}: ${(error as Error).message}`);
      if (!bad) figures.latencies.push(performance.now() - t0);
    }
  }

  /** Waits for the current version's diagnostics, compares them with a fresh analysis, then (optionally) resets the text. */
  private async checkAndReset(reset: boolean): Promise<void> {
    if (!this.alive()) return;
    const last = await this.client.diagnostics(this.uri, this.version, 120000);
    const freshUri = uriOf(join(repoRoot, "test-output", "lsp", `fuzz-fresh-${this.freshCount++}.py`));
    this.client.open(freshUri, this.text, 1);
    const fresh = await this.client.diagnostics(freshUri, 1, 120000);
    this.client.close(freshUri);
    this.report.equality.checks++;
    if (shape(last) !== shape(fresh)) this.report.equality.mismatches.push(`after edit ${this.report.edits} (seed ${this.options.seed}): incremental ${shape(last)} | fresh ${shape(fresh)}`);
    if (!reset) return;
    this.text = goodFlow;
    this.client.change(this.uri, ++this.version, [{ text: this.text }]);
  }
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const client = await LspClient.start({ kind: options.kind ?? "source" });
  const fuzz = new Fuzz(client, options);
  try {
    return await fuzz.run();
  } finally {
    if (client.child.exitCode === null) await client.stop();
  }
}

/** The report as a table, one row per request method, then the totals. */
export function formatReport(r: FuzzReport): string {
  const rows = [["request", "sent", "error answers", "p50 ms", "p99 ms"]];
  const all: number[] = [];
  for (const [method, f] of [...r.methods].sort((a, b) => a[0].localeCompare(b[0]))) {
    all.push(...f.latencies);
    const errors = [...f.errors].map(([code, n]) => `${n} × ${code}`).join(", ") || "0";
    rows.push([method, String(f.count), errors, percentile(f.latencies, 50).toFixed(1), percentile(f.latencies, 99).toFixed(1)]);
  }
  rows.push(["all requests", String(rows.slice(1).reduce((n, row) => n + Number(row[1]), 0)), "", percentile(all, 50).toFixed(1), percentile(all, 99).toFixed(1)]);
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? "").length))) ?? [];
  const table = rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  ")).join("\n");
  const lines = [
    `flowlens LSP fuzz: ${r.edits} edits, seed ${r.seed}, ${r.seconds.toFixed(1)} s`,
    table,
    `crashes: ${r.crashed ? `1 (exit ${String(r.exitCode)})` : 0}`,
    `internal errors: ${r.internalErrors.length}${r.internalErrors.length > 0 ? `\n  ${r.internalErrors.slice(0, 5).join("\n  ")}` : ""}`,
    `params of the wrong shape: ${r.badParams.sent} sent, ${r.badParams.refused} refused with InvalidParams (-32602)`,
    `incremental analysis equal to a fresh one: ${r.equality.checks - r.equality.mismatches.length} of ${r.equality.checks}${r.equality.mismatches.length > 0 ? `\n  ${r.equality.mismatches.slice(0, 3).join("\n  ")}` : ""}`,
    `server RSS: ${r.rssStartMb.toFixed(0)} MB after opening, ${r.rssEndMb.toFixed(0)} MB at the end (${(r.rssEndMb - r.rssStartMb >= 0 ? "+" : "") + (r.rssEndMb - r.rssStartMb).toFixed(0)} MB)`,
  ];
  return lines.join("\n");
}

/** Whether the run found nothing wrong. */
export function clean(r: FuzzReport): boolean {
  return !r.crashed && r.internalErrors.length === 0 && r.equality.mismatches.length === 0 && r.badParams.refused === r.badParams.sent;
}
