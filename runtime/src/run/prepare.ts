// Everything a run needs before its first task, checked in one pass: the flow analysed and
// free of check errors, its plan, the datastore, and Python. Every problem is a RunRefused.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Diagnostic, FlowModel } from "../../../server/src/analysis/model";
import { LineIndex } from "../../../server/src/analysis/lineIndex";
import { noMainFlowReason } from "../../../server/src/analysis/mainFlow";
import { FlowDatastore } from "../datastore/layout";
import { openObjectStore } from "../datastore/open";
import { datastoreRoot } from "../datastore/root";
import { buildPlan, PlanError, type Plan } from "../plan/plan";
import { analyzeFile, SourceRefused } from "../../../server/src/parser/analyzeFromDisk";
import { LocalObjectStore } from "../datastore/local";
import { createExecutor, withExecutors, type ExecutorChoice } from "./executor";
import type { Executor } from "../executors/types";
import { probePython, type PythonProbe } from "../executors/local";
import { RunRefused } from "./refuse";

export interface PrepareOptions {
  file: string;
  /** The flow class to run; without it, the file's main flow. */
  flow?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  python?: string;
  datastore: "local" | "s3";
  datastoreRoot?: string;
  /** `--with NAME` and the executors' own options (`--batch-queue`): see executors/registry.ts. */
  executors?: ExecutorChoice;
}

export interface Prepared {
  file: string;
  flow: FlowModel;
  plan: Plan;
  ds: FlowDatastore;
  python: PythonProbe;
  pythonCommand: string;
  /** `file:line:col` of a span in the flow file. */
  where: (offset: number) => string;
  /** Started (warming up) during preparation; runFlow closes it. */
  executor: Executor;
}

export async function prepare(o: PrepareOptions): Promise<Prepared> {
  const file = resolve(o.cwd, o.file);
  if (!existsSync(file)) throw new RunRefused(`flow file not found: ${o.file}`, [{ message: `no such file: ${file}` }]);
  const pythonCmd = o.python ?? o.env.FLOWLENS_PYTHON ?? "python3";
  // Python is probed, the store opened and the worker started while the flow is analysed:
  // each takes a moment, and the first task should not wait for them.
  const pythonProbe = settle(probePython(pythonCmd, o.env));
  const root = datastoreRoot({ kind: o.datastore, given: o.datastoreRoot, env: o.env, cwd: o.cwd });
  const opened = settle(openObjectStore({ kind: o.datastore, root, env: o.env }));
  // The worker starts once Python answered the probe: a missing interpreter is reported by the probe alone.
  const executor = Promise.all([opened, pythonProbe]).then(([s, probe]) => {
    if (!s.ok || !probe.ok) return undefined;
    const ex = createExecutor({ python: pythonCmd, store: s.value, env: o.env, cwd: o.cwd });
    ex.warmUp().catch(() => undefined);
    return ex;
  });
  try {
    const { text, result } = await analyzeFile(file, [o.cwd]).catch((error: unknown) => {
      if (!(error instanceof SourceRefused)) throw error;
      const { line, column } = error.problem;
      throw new RunRefused(error.message, [{ message: error.message, location: line !== undefined ? `${o.file}:${line}:${column ?? 1}` : o.file }]);
    });
    const lines = new LineIndex(text);
    const where = (offset: number): string => {
      const pos = lines.position(offset);
      return `${o.file}:${pos.line + 1}:${pos.character + 1}`;
    };
    const errors = result.diagnostics.filter((d: Diagnostic) => d.severity === "error");
    if (errors.length > 0) {
      throw new RunRefused(
        `${o.file} has ${errors.length} problem${errors.length === 1 ? "" : "s"} to fix before it can run`,
        errors.map((d) => ({ message: `${d.code} ${d.message}`, location: where(d.span.start) })),
      );
    }
    const flow = pickFlow(result.flows, result.mainFlow, o);
    let plan: Plan;
    try {
      const stepFiles = Object.fromEntries(flow.steps.flatMap((s) => (s.inheritedFrom?.file !== undefined ? [[s.name, s.inheritedFrom.file]] : [])));
      plan = buildPlan(flow.name, { ...flow.graph, file: flow.graph.file || o.file }, stepFiles);
    } catch (error) {
      if (error instanceof PlanError) throw new RunRefused(`cannot plan ${flow.name}`, [{ message: error.message }]);
      throw error;
    }
    const store = await opened;
    if (!store.ok) throw new RunRefused(`cannot open the ${o.datastore} datastore`, [{ message: store.error.message }]);
    if (store.value instanceof LocalObjectStore) {
      const cannot = await store.value.writeProblem();
      const headline = `cannot write to the datastore folder ${store.value.root}: ${cannot}; choose another folder with --datastore-root`;
      if (cannot !== undefined) throw new RunRefused(headline, [{ message: headline }]);
    }
    const probe = await pythonProbe;
    if (!probe.ok) throw new RunRefused(probe.error.message, []);
    const local = await executor;
    if (!local) throw new RunRefused("no executor", []);
    let ex: Executor;
    try {
      ex = await withExecutors(local, store.value, o.env, flow, o.executors ?? { with: [], options: new Map() });
    } catch (error) {
      throw new RunRefused((error as Error).message, []);
    }
    return { file, flow, plan, ds: new FlowDatastore(store.value, flow.name), python: probe.value, pythonCommand: pythonCmd, where, executor: ex };
  } catch (error) {
    await (await executor)?.close();
    throw error;
  }
}

/** The flow named by the caller, else the file's main flow; a refusal when there is none. */
function pickFlow(flows: FlowModel[], mainFlow: string | undefined, o: PrepareOptions): FlowModel {
  const names = flows.map((f) => f.name);
  if (o.flow !== undefined) {
    const named = flows.find((f) => f.name === o.flow);
    if (!named) throw new RunRefused(`${o.file} has no flow named ${o.flow}`, [{ message: `flows: ${names.join(", ") || "none"}` }]);
    return named;
  }
  const flow = flows.find((f) => f.name === mainFlow);
  if (!flow) throw new RunRefused(`${o.file}: ${noMainFlowReason(names, mainFlow) ?? "no flow to run"}`, []);
  return flow;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };

function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: error instanceof Error ? error : new Error(String(error)) }),
  );
}
