// Dense row numbers for a run's tasks, so that what a run keeps about each task can live in typed
// arrays (a byte for its state, a few numbers for its times) instead of an object and a
// `step/taskId` string a task: with 20,000 tasks that is the difference between a few hundred
// KB and tens of MB. Rows are handed out in first-seen order. Task ids are small integers in
// practice (the scheduler counts them from 1, resume above the origin's), so a task is found
// through an array indexed by its id; an id that is not a small integer, or one a task of
// another step already holds, goes through a Map instead.

/** Ids below this are kept in the array indexed by id (grown as needed, 4 bytes an id). */
const denseIdLimit = 1 << 22;

export class TaskRows {
  private stepNames: string[] = [];
  private readonly stepIndex = new Map<string, number>();
  /** Each row's step (index into stepNames) and numeric task id (-1: the id is in `otherIds`). */
  private stepOf = new Uint16Array(64);
  private idOf = new Int32Array(64);
  /** Row + 1 by numeric task id (0: none). */
  private rowById = new Int32Array(64);
  private readonly otherRows = new Map<string, number>();
  private readonly otherIds = new Map<number, string>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The task's row, or undefined when it has none yet. */
  find(step: string, taskId: string): number | undefined {
    const id = smallId(taskId);
    if (id !== undefined && id < this.rowById.length) {
      const row = (this.rowById[id] ?? 0) - 1;
      if (row >= 0 && this.stepNames[this.stepOf[row] ?? 0] === step) return row;
    }
    return this.otherRows.get(`${step}/${taskId}`);
  }

  /** The task's row, added when it has none. */
  add(step: string, taskId: string): number {
    const found = this.find(step, taskId);
    if (found !== undefined) return found;
    const row = this.count++;
    if (row >= this.idOf.length) this.growRows();
    let s = this.stepIndex.get(step);
    if (s === undefined) {
      s = this.stepNames.length;
      this.stepNames.push(step);
      this.stepIndex.set(step, s);
    }
    this.stepOf[row] = s;
    const id = smallId(taskId);
    if (id !== undefined && (id >= this.rowById.length || this.rowById[id] === 0)) {
      if (id >= this.rowById.length) this.rowById = grown(this.rowById, id + 1);
      this.rowById[id] = row + 1;
      this.idOf[row] = id;
    } else {
      this.otherRows.set(`${step}/${taskId}`, row);
      this.otherIds.set(row, taskId);
      this.idOf[row] = -1;
    }
    return row;
  }

  step(row: number): string {
    return this.stepNames[this.stepOf[row] ?? 0] ?? "";
  }

  taskId(row: number): string {
    const id = this.idOf[row] ?? -1;
    return id >= 0 ? String(id) : (this.otherIds.get(row) ?? "");
  }

  private growRows(): void {
    this.stepOf = grown(this.stepOf, this.count);
    this.idOf = grown(this.idOf, this.count);
  }
}

/** The id as a number when it is a plain non-negative integer below the dense limit, written as String(n) writes it. */
function smallId(taskId: string): number | undefined {
  if (taskId.length === 0 || taskId.length > 7) return undefined;
  const n = Number(taskId);
  return Number.isInteger(n) && n >= 0 && n < denseIdLimit && String(n) === taskId ? n : undefined;
}

type Typed = Uint8Array | Uint16Array | Int32Array | Float64Array;

/** A copy of the array at least `needed` long (doubling), the old values kept and the new ones 0. */
export function grown<T extends Typed>(array: T, needed: number): T {
  let length = Math.max(64, array.length);
  while (length < needed) length *= 2;
  if (length === array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}
