// Language server figures over stdio, with the real JSON-RPC client of the LSP tests:
//   1. keystroke -> diagnostics latency on a 5,000-line flow (p50/p95 over many edits)
//   2. the server's resident memory after opening 100 flow files
//   3. a 2 MB document of 1,100 flows: edit -> diagnostics, and the latency of a hover in another
//      document while edits stream into the big one
// Targets: p95 <= 50 ms, RSS <= 150 MB. Run: node --import tsx test/bench/lsp.bench.ts [--source] [--big]
// (default: the built dist/server.js; --big: only the third figure)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LspClient, repoRoot, uriOf } from "../lsp/client";
import { goodFlow } from "../lsp/fixtures";
import { bigFlow } from "../lsp/generate";
import { percentile } from "./stats";

// The server is measured as the VS Code client starts it (client/src/languageClient.ts).
process.env.FLOWLENS_SERVER_NODE_ARGS ??= "--max-semi-space-size=64";

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** CPU time (user + system) the process has used, in ms: a figure that the machine's load does not inflate. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

async function latency(kind: "source" | "dist"): Promise<void> {
  const client = await LspClient.start({ kind });
  try {
    const text = bigFlow("BenchFlow", 280, 14);
    const lines = text.split("\n");
    const uri = uriOf(join(repoRoot, "test-output", "bench", "big_flow.py"));
    let version = 1;
    let t0 = performance.now();
    client.open(uri, text, version);
    await client.diagnostics(uri, version, 60000);
    const openMs = performance.now() - t0;
    const edits = 60;
    const times: number[] = [];
    const pid = client.child.pid ?? 0;
    const cpu0 = cpuMs(pid);
    // Type into a comment in a step in the middle of the file, one character per change, as an editor sends it.
    const target = lines.findIndex((l, i) => i > lines.length / 2 && l.includes("# work 3"));
    let col = (lines[target] ?? "").length;
    for (let i = 0; i < edits; i++) {
      const pos = { line: target, character: col };
      version++;
      t0 = performance.now();
      client.change(uri, version, [{ range: { start: pos, end: pos }, text: i % 10 === 9 ? " " : "x" }]);
      await client.diagnostics(uri, version, 60000);
      times.push(performance.now() - t0);
      col++;
    }
    const cpuPerEdit = (cpuMs(pid) - cpu0) / edits;
    // Edits that change the graph too: retarget a transition back and forth.
    const nextLine = lines.findIndex((l, i) => i > lines.length / 2 && l.includes("self.next(self.step_"));
    const nextCol = (lines[nextLine] ?? "").indexOf("self.step_") + "self.".length;
    const graphTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const pos = { line: nextLine, character: nextCol };
      version++;
      t0 = performance.now();
      client.change(uri, version, i % 2 === 0 ? [{ range: { start: pos, end: pos }, text: "x" }] : [{ range: { start: pos, end: { line: nextLine, character: nextCol + 1 } }, text: "" }]);
      await client.diagnostics(uri, version, 60000);
      graphTimes.push(performance.now() - t0);
    }
    console.log(`lsp (${kind}): ${lines.length}-line flow: open -> diagnostics ${openMs.toFixed(0)} ms`);
    console.log(`lsp (${kind}): keystroke -> diagnostics over ${edits} edits: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (target p95 <= 50 ms)`);
    console.log(`lsp (${kind}): server CPU per keystroke ${cpuPerEdit.toFixed(1)} ms (10 ms clock ticks; load average ${readFileSync("/proc/loadavg", "utf8").split(" ")[0]} on this machine)`);
    console.log(`lsp (${kind}): graph-changing edit -> diagnostics over ${graphTimes.length} edits: p50 ${percentile(graphTimes, 50).toFixed(1)} ms, p95 ${percentile(graphTimes, 95).toFixed(1)} ms`);
  } finally {
    await client.stop();
  }
}

async function memory(kind: "source" | "dist"): Promise<void> {
  const client = await LspClient.start({ kind });
  try {
    const pid = client.child.pid;
    if (pid === undefined) throw new Error("no server pid");
    const idle = rssMb(pid);
    const files = 100;
    const waits: Promise<unknown>[] = [];
    for (let i = 0; i < files; i++) {
      const uri = uriOf(join(repoRoot, "test-output", "bench", "many", `flow_${i}.py`));
      const text = i % 2 === 0 ? goodFlow.replace(/TrainFlow/g, `Train${i}`) : bigFlow(`Flow${i}`, 20, 6);
      client.open(uri, text, 1);
      waits.push(client.diagnostics(uri, 1, 60000));
    }
    await Promise.all(waits);
    const after = rssMb(pid);
    console.log(`lsp (${kind}): RSS idle ${idle.toFixed(0)} MB, after opening ${files} flow files ${after.toFixed(0)} MB (target <= 150 MB)`);
  } finally {
    await client.stop();
  }
}

/** A module of `count` flows of about 1.9 KB each (the shape of the red-team's 2 MB file). */
function manyFlows(count: number): string {
  const parts = ["from metaflow import FlowSpec, step, Parameter, resources, batch, retry\n"];
  const padding = `\n        x = ${"1 + ".repeat(270)}1\n        print`;
  for (let i = 0; i < count; i++) parts.push(goodFlow.replace(/^from .*$/m, "").replace(/TrainFlow/g, `Flow${i}`).replace(/\n {8}print/, padding));
  return parts.join("\n");
}

async function bigDocument(kind: "source" | "dist"): Promise<void> {
  const client = await LspClient.start({ kind });
  try {
    const text = manyFlows(1100);
    const lines = text.split("\n");
    const big = uriOf(join(repoRoot, "test-output", "bench", "many_flows.py"));
    const small = uriOf(join(repoRoot, "test-output", "bench", "small_flow.py"));
    let t0 = performance.now();
    client.open(big, text, 1);
    await client.diagnostics(big, 1, 120000);
    const openMs = performance.now() - t0;
    client.open(small, goodFlow, 1);
    await client.diagnostics(small, 1, 60000);
    const target = lines.findIndex((l, i) => i > lines.length / 2 && l.includes("self.best = max"));
    let version = 1;
    let col = 8;
    const edit = () => {
      const pos = { line: target, character: col++ };
      client.change(big, ++version, [{ range: { start: pos, end: pos }, text: "x" }]);
    };
    // One edit at a time, each waiting for its diagnostics.
    const editTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      t0 = performance.now();
      edit();
      await client.diagnostics(big, version, 120000);
      editTimes.push(performance.now() - t0);
    }
    // Edits stream into the big document every 30 ms (typing) while another document is hovered every 50 ms.
    const hoverTimes: number[] = [];
    const hoverAt = { textDocument: { uri: small }, position: { line: 19, character: 10 } };
    const typing = setInterval(edit, 30);
    const until = performance.now() + 6000;
    while (performance.now() < until) {
      t0 = performance.now();
      await client.request("textDocument/hover", hoverAt);
      hoverTimes.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
    clearInterval(typing);
    await client.diagnostics(big, version, 120000);
    const f = (values: number[]) => `p50 ${percentile(values, 50).toFixed(0)} ms, p99 ${percentile(values, 99).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;
    console.log(`lsp (${kind}): ${(text.length / 1e6).toFixed(1)} MB document of 1,100 flows: open -> diagnostics ${openMs.toFixed(0)} ms`);
    console.log(`lsp (${kind}): edit -> diagnostics in it over ${editTimes.length} edits (it waits for a pause as long as its analysis): ${f(editTimes)}`);
    console.log(`lsp (${kind}): hover in another document while edits stream into it (${hoverTimes.length} hovers, ${version - 11} edits): ${f(hoverTimes)}`);
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  const kind = process.argv.includes("--source") ? "source" : "dist";
  const only = process.argv.includes("--big");
  if (!only) await latency(kind);
  if (!only) await memory(kind);
  await bigDocument(kind);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
