// A chaos session: the trials in order, each drawn from one seeded generator, and the table.
import { cleanTemplate, corruptTrial, killTrial } from "./localTrials";
import type { Outcome, TrialKind } from "./outcome";
import { s3Trial, startS3Lab } from "./s3Trials";

export interface ChaosCounts {
  kill: number;
  corrupt: number;
  s3: number;
}

export interface ChaosResult {
  outcomes: Outcome[];
  table: string;
  /** Crashes + damaged runs reported as succeeded + stack traces + killed runs left running. */
  bad: number;
}

export async function runChaos(counts: ChaosCounts, random: () => number, log: (line: string) => void): Promise<ChaosResult> {
  const outcomes: Outcome[] = [];
  const report = (o: Outcome): void => {
    outcomes.push(o);
    const bad = o.crashes + o.stackTraces + o.damagedAsSucceeded + o.leftRunning;
    log(`${o.kind.padEnd(7)} ${bad === 0 ? "ok  " : "BAD "} ${o.what}${bad > 0 ? `: ${o.notes.join(" | ")}` : ""}`);
  };
  for (let i = 0; i < counts.kill; i++) report(await killTrial(1 + Math.floor(random() * 14)));
  if (counts.corrupt > 0) {
    const template = await cleanTemplate();
    for (let i = 0; i < counts.corrupt; i++) report(await corruptTrial(template, random(), random(), random()));
  }
  if (counts.s3 > 0) {
    const lab = await startS3Lab();
    try {
      for (let i = 0; i < counts.s3; i++) report(await s3Trial(lab, i, random() < 0.5 ? "outage" : "no-bucket", 3 + Math.floor(random() * 10), 300 + Math.floor(random() * 2700)));
    } finally {
      await lab.stop();
    }
  }
  const table = tableOf(outcomes);
  const bad = outcomes.reduce((n, o) => n + o.crashes + o.stackTraces + o.damagedAsSucceeded + o.leftRunning, 0);
  return { outcomes, table, bad };
}

function tableOf(outcomes: Outcome[]): string {
  const kinds: TrialKind[] = ["kill", "corrupt", "s3"];
  const header = ["trials", "count", "crashes", "damaged as succeeded", "stack traces", "killed left running"];
  const rows = kinds.map((k) => {
    const of = outcomes.filter((o) => o.kind === k);
    const sum = (f: (o: Outcome) => number): string => String(of.reduce((n, o) => n + f(o), 0));
    return [k, String(of.length), sum((o) => o.crashes), sum((o) => o.damagedAsSucceeded), sum((o) => o.stackTraces), k === "kill" ? sum((o) => o.leftRunning) : "-"];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}
