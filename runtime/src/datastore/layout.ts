// The Metaflow datastore layout (runtime/README.md), written once over any ObjectStore:
// runs, steps, tasks, attempts, artifacts, logs, the run record and the code package.
// Nothing here knows whether the store is a local folder or an S3 prefix.

import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { DamagedData, shortReason } from "./damaged";
import { parseExact, stringifyExact } from "./exactJson";
import { logSources, mergeLogSources, parseLogText, type LogLine } from "./logLines";
import { readRunState, type RunState } from "./runState";
import { checkDataJson, checkRunRecord } from "./shapes";
import type { ObjectStore } from "./types";

export type { ArtifactInfo, ArtifactPreview, DataJson, ReadOptions, RunRecord } from "./layoutTypes";
import type { ArtifactPreview, DataJson, ReadOptions, RunRecord } from "./layoutTypes";

export const logStreams = ["stdout", "stderr"] as const;
/** The folder of Metaflow's local metadata records beside a flow, run, step or task: never a run, step or task itself. */
export const METADATA_DIR = "_meta";
export type LogStream = (typeof logStreams)[number];

export class FlowDatastore {
  constructor(
    readonly store: ObjectStore,
    readonly flow: string,
  ) {}

  /** `local:/abs/.metaflow/` or `s3://bucket/prefix`, for events and messages. */
  describe(): string {
    return this.store.kind === "local" ? `local:${this.store.root}` : this.store.root;
  }

  /** Where a key is, for messages: the file's absolute path on a local store, s3://bucket/key on S3. */
  where(key: string): string {
    return this.store.kind === "local" ? `${this.store.root}/${key}` : `${this.store.root.replace(/\/$/, "")}/${key}`;
  }

  taskPrefix(run: string, step: string, task: string): string {
    return `${this.flow}/${run}/${step}/${task}/`;
  }

  /**
   * The latest run: the id in `latest_run`, else (the file missing, damaged, or naming a run that
   * is not there) the highest run id in the datastore, as a reader would pick it by hand.
   */
  async latestRun(): Promise<string | undefined> {
    const body = await this.store.get(`${this.flow}/latest_run`);
    const id = body?.toString("utf8").trim();
    const runs = await this.listRuns();
    if (id && runs.includes(id)) return id;
    return runs.at(-1);
  }

  async setLatestRun(run: string): Promise<void> {
    await this.store.put(`${this.flow}/latest_run`, run);
  }

  /** Run ids, oldest first (numeric ids by value, others by name). */
  async listRuns(): Promise<string[]> {
    const children = await this.store.listChildren(`${this.flow}/`);
    const runs = children.filter((c) => c.endsWith("/")).map((c) => c.slice(this.flow.length + 1, -1)).filter((r) => r !== "data" && r !== METADATA_DIR);
    return runs.sort((a, b) => {
      const na = Number(a);
      const nb = Number(b);
      if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
      return a < b ? -1 : a > b ? 1 : 0;
    });
  }

  /** Claims the next numeric run id: one more than the highest existing one. */
  async newRunId(): Promise<string> {
    const runs = await this.listRuns();
    let next = runs.map(Number).filter(Number.isSafeInteger).reduce((m, n) => Math.max(m, n), 0) + 1;
    for (;;) {
      const claim = `${this.flow}/${next}/_flowlens/claim`;
      if (!(await this.store.exists(claim))) {
        await this.store.put(claim, String(process.pid), { overwrite: false });
        return String(next);
      }
      next += 1;
    }
  }

  async listSteps(run: string): Promise<string[]> {
    const children = await this.store.listChildren(`${this.flow}/${run}/`);
    return children.filter((c) => c.endsWith("/")).map((c) => c.split("/").at(-2) ?? "").filter((s) => s !== "_flowlens" && s !== METADATA_DIR && s !== "");
  }

  async listTasks(run: string, step: string): Promise<string[]> {
    const children = await this.store.listChildren(`${this.flow}/${run}/${step}/`);
    const tasks = children.filter((c) => c.endsWith("/")).map((c) => c.split("/").at(-2) ?? "").filter((t) => t !== METADATA_DIR);
    return tasks.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : 1));
  }

  /** Attempt numbers that have an attempt record, and which of them are finished. */
  async listAttempts(run: string, step: string, task: string): Promise<{ attempt: number; done: boolean }[]> {
    const files = await this.store.listChildren(this.taskPrefix(run, step, task));
    const started = new Set<number>();
    const done = new Set<number>();
    for (const file of files) {
      const m = /\/(\d+)\.(attempt\.json|DONE\.lock)$/.exec(file);
      if (!m) continue;
      (m[2] === "DONE.lock" ? done : started).add(Number(m[1]));
      started.add(Number(m[1]));
    }
    return [...started].sort((a, b) => a - b).map((attempt) => ({ attempt, done: done.has(attempt) }));
  }

  /** Readers take the highest finished attempt; undefined when none finished. */
  async finishedAttempt(run: string, step: string, task: string): Promise<number | undefined> {
    const attempts = await this.listAttempts(run, step, task);
    return attempts.filter((a) => a.done).at(-1)?.attempt;
  }

  /** A JSON file, or undefined when it does not exist; a file that does not parse is DamagedData naming it. */
  async readJson<T>(key: string, options?: ReadOptions): Promise<T | undefined> {
    const body = await this.store.get(key);
    if (!body) return undefined;
    try {
      const text = body.toString("utf8");
      return (options?.exact ? parseExact(text) : JSON.parse(text)) as T;
    } catch (error) {
      throw new DamagedData(this.where(key), `not valid JSON (${shortReason(error)})`);
    }
  }

  /** A JSON file that must be an object of a known shape: `check` returns what is wrong, or undefined. */
  private async readChecked<T>(key: string, check: (value: unknown) => string | undefined, options?: ReadOptions): Promise<T | undefined> {
    const value = await this.readJson<unknown>(key, options);
    if (value === undefined) return undefined;
    const wrong = check(value);
    if (wrong !== undefined) throw new DamagedData(this.where(key), wrong);
    return value as T;
  }

  async readDataJson(run: string, step: string, task: string, attempt: number): Promise<DataJson | undefined> {
    return this.readChecked<DataJson>(`${this.taskPrefix(run, step, task)}${attempt}.data.json`, checkDataJson);
  }

  /** A task's previews; `exact` keeps integers beyond 2^53 as BigInt (for printing, not for the editor, whose messages are JSON). */
  async readPreviews(run: string, step: string, task: string, attempt: number, options?: ReadOptions): Promise<Record<string, ArtifactPreview>> {
    const key = `${this.taskPrefix(run, step, task)}${attempt}.previews.json`;
    return (await this.readChecked<Record<string, ArtifactPreview>>(key, (v) => (isObject(v) ? undefined : "not a JSON object of previews"), options)) ?? {};
  }

  /** One stream of an attempt, its log sources merged by time (see logLines.ts); a stream never written has no lines. */
  async readLogLines(run: string, step: string, task: string, attempt: number, stream: LogStream): Promise<LogLine[]> {
    const prefix = `${this.taskPrefix(run, step, task)}${attempt}.`;
    const bodies = await Promise.all(logSources.map((source) => this.store.get(`${prefix}${source}_${stream}.log`)));
    return mergeLogSources(bodies.flatMap((body) => (body ? [parseLogText(body.toString("utf8"))] : [])));
  }

  blobKey(sha: string): string {
    return `${this.flow}/data/${sha.slice(0, 2)}/${sha}`;
  }

  /** The pickled bytes of an artifact blob, gunzipped unless its `_meta` marks it raw. */
  async readBlob(sha: string): Promise<Buffer | undefined> {
    const body = await this.store.get(this.blobKey(sha));
    if (!body) return undefined;
    const meta = await this.readJson<{ cas_raw?: boolean } | null>(`${this.blobKey(sha)}_meta`);
    const raw = isObject(meta) ? meta.cas_raw === true : !(body[0] === 0x1f && body[1] === 0x8b);
    if (raw) return body;
    try {
      return gunzipSync(body);
    } catch (error) {
      throw new DamagedData(this.where(this.blobKey(sha)), `not a whole gzip stream (${shortReason(error)})`);
    }
  }

  /** Stores a blob by the sha1 of its (uncompressed) bytes; returns the sha. Stored once. */
  async writeBlob(bytes: Buffer, raw: boolean): Promise<string> {
    const sha = createHash("sha1").update(bytes).digest("hex");
    const key = this.blobKey(sha);
    if (await this.store.exists(key)) return sha;
    await this.store.put(key, raw ? bytes : gzipSync(bytes), { overwrite: false, metadata: { cas_raw: String(raw), cas_version: "1" } });
    // A blob without a sidecar is gzip to every reader (Metaflow's too): only a raw one needs it.
    if (raw) await this.store.put(`${key}_meta`, JSON.stringify({ cas_raw: true, cas_version: 1 }));
    return sha;
  }

  /**
   * The preview of an artifact a task inherited: previews live with the task that set the
   * value, so look it up by sha among the run's tasks (indexed once per run).
   */
  async previewBySha(run: string, sha: string, options?: ReadOptions): Promise<ArtifactPreview | undefined> {
    const indexKey = `${run}${options?.exact ? "/exact" : ""}`;
    let index = this.previewIndex.get(indexKey);
    if (!index) {
      index = new Map();
      for (const info of await this.store.list(`${this.flow}/${run}/`)) {
        if (!info.key.endsWith(".previews.json")) continue;
        const dataKey = info.key.replace(/previews\.json$/, "data.json");
        // The index is a convenience: a damaged file elsewhere in the run only leaves its previews out.
        const [previews, data] = await Promise.all([this.readJson<Record<string, ArtifactPreview>>(info.key, options), this.readJson<DataJson>(dataKey)]).catch((error: unknown) => {
          if (error instanceof DamagedData) return [undefined, undefined];
          throw error;
        });
        if (!isObject(previews) || !isObject(data) || !isObject(data.objects)) continue;
        for (const [name, preview] of Object.entries(previews ?? {})) {
          const s = data?.objects[name];
          if (s !== undefined) index.set(s, preview);
        }
      }
      this.previewIndex.set(indexKey, index);
    }
    return index.get(sha);
  }

  private readonly previewIndex = new Map<string, Map<string, ArtifactPreview>>();

  runRecordKey(run: string): string {
    return `${this.flow}/${run}/_flowlens/run.json`;
  }

  async writeRunRecord(record: RunRecord): Promise<void> {
    await this.store.put(this.runRecordKey(record.run_id), stringifyExact(record, 2));
  }

  async readRunRecord(run: string, options?: ReadOptions): Promise<RunRecord | undefined> {
    return this.readChecked<RunRecord>(this.runRecordKey(run), checkRunRecord, options);
  }

  /** The run's state for readers: its record's status, or "crashed" when it never ended and its process is gone. */
  async runState(run: string, record: RunRecord): Promise<{ state: RunState; reason?: string }> {
    return readRunState(this, run, record);
  }

  /** Flowlens's per-task scheduling record, written after a task finishes; `resume` replays from it. */
  async writeTaskRecord(run: string, step: string, task: string, record: object): Promise<void> {
    await this.store.put(`${this.flow}/${run}/_flowlens/tasks/${step}.${task}.json`, JSON.stringify(record));
  }

  /**
   * Every task record of a run, each checked by `check`; a record that does not parse or has the
   * wrong shape is returned among `damaged` (its file and why), never thrown, so the rest is used.
   */
  async readTaskRecords<T>(run: string, check: (value: unknown) => string | undefined): Promise<{ records: T[]; damaged: DamagedData[] }> {
    const files = await this.store.listChildren(`${this.flow}/${run}/_flowlens/tasks/`);
    const out: { records: T[]; damaged: DamagedData[] } = { records: [], damaged: [] };
    for (const key of files.filter((f) => f.endsWith(".json"))) {
      try {
        const record = await this.readChecked<T>(key, check);
        if (record) out.records.push(record);
      } catch (error) {
        if (!(error instanceof DamagedData)) throw error;
        out.damaged.push(error);
      }
    }
    return out;
  }

  /**
   * Copies a finished attempt of a task into another run (resume's "clone"): its attempt
   * record, data.json, previews and logs, with DONE.lock last. Blobs are shared, not copied.
   */
  async cloneTask(fromRun: string, toRun: string, step: string, task: string, attempt: number): Promise<void> {
    const from = this.taskPrefix(fromRun, step, task);
    const to = this.taskPrefix(toRun, step, task);
    const files = (await this.store.listChildren(from)).filter((f) => f.slice(from.length).startsWith(`${attempt}.`));
    const last = files.filter((f) => f.endsWith(".DONE.lock"));
    for (const file of [...files.filter((f) => !f.endsWith(".DONE.lock")), ...last]) {
      const body = await this.store.get(file);
      if (body) await this.store.put(to + file.slice(from.length), body);
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
