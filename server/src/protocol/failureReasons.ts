// Why a task failed, in plain words. The executors report raw facts (an exception headline, how
// the process ended, the memory it reached); `classifyFailure` turns them into one cause and one
// headline that the graph node, the Runs view and the CLI summary all show, plus the text that
// finds the log lines showing it. Pure: a table of cases tests it (test/unit/protocol).

/** The causes a user tells apart: each reads differently and is fixed differently. */
export const failureCauses = ["out-of-memory", "timeout", "signal", "exit", "import-error", "missing-input", "exception", "cancelled", "infrastructure"] as const;

export type FailureCause = (typeof failureCauses)[number];

export function isFailureCause(x: unknown): x is FailureCause {
  return typeof x === "string" && (failureCauses as readonly string[]).includes(x);
}

/** What an executor knows when an attempt ends without success. */
export interface FailureFacts {
  /** The executor's own line: an exception headline ("ValueError: bad") or how the process ended. */
  headline: string;
  kind: "user" | "infrastructure" | "timeout" | "cancelled";
  /** The task process's exit code, when it exited without a result. */
  exitCode?: number;
  /** The signal that ended the task process ("SIGKILL"), when one did. */
  signal?: string;
  /** The task process's peak resident memory, measured when the attempt finished. */
  peakRssBytes?: number;
}

export interface FailureReason {
  cause: FailureCause;
  /** One line in plain words, e.g. "Out of memory: killed by SIGKILL after reaching 1.9 GB". */
  headline: string;
  /** Texts whose log lines show the failure (searched case-sensitively); the last lines when none matches. */
  evidence: string[];
}

// SIGKILL is what the kernel's out-of-memory killer (and a container's memory limit) sends;
// 137 = 128 + 9 is how a shell or container runtime reports the same death as an exit code.
const oomExitCode = 137;
const signalNames: Record<string, string> = {
  SIGSEGV: "a segmentation fault (SIGSEGV): native code crashed",
  SIGABRT: "an abort (SIGABRT): native code gave up",
  SIGTERM: "SIGTERM: something asked the task to stop",
  SIGBUS: "a bus error (SIGBUS): native code crashed",
  SIGINT: "SIGINT (Ctrl-C)",
};

export function formatMemory(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb < 1024) return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
  return `${(mb / 1024).toFixed(1)} GB`;
}

function exceptionType(headline: string): string | undefined {
  return /^([A-Za-z_][\w.]*)(?::|$)/.exec(headline)?.[1];
}

function reached(facts: FailureFacts): string {
  return facts.peakRssBytes !== undefined ? ` after reaching ${formatMemory(facts.peakRssBytes)}` : "";
}

/** How the process ended, when it ended without a result (no exception from the step). */
function processReason(facts: FailureFacts): FailureReason | undefined {
  if (facts.signal === "SIGKILL" || facts.exitCode === oomExitCode) {
    const how = facts.signal === "SIGKILL" ? "killed by SIGKILL" : `exit code ${oomExitCode}`;
    return { cause: "out-of-memory", headline: `Out of memory: ${how}${reached(facts)}`, evidence: ["MemoryError", "Killed", "SIGKILL", "out of memory"] };
  }
  if (facts.signal !== undefined) {
    return { cause: "signal", headline: `Killed by ${signalNames[facts.signal] ?? facts.signal}${reached(facts)}`, evidence: [facts.signal, "Fatal Python error", "core dumped"] };
  }
  if (facts.exitCode !== undefined) {
    return { cause: "exit", headline: `Exited with code ${facts.exitCode} before the step finished`, evidence: ["exit", "Exit", "SystemExit"] };
  }
  return undefined;
}

/** An exception the step raised, read from its headline. */
function exceptionReason(facts: FailureFacts): FailureReason {
  const type = exceptionType(facts.headline);
  const message = type ? facts.headline.slice(type.length).replace(/^:\s*/, "") : facts.headline;
  if (type === "ModuleNotFoundError" || type === "ImportError") {
    return { cause: "import-error", headline: `Import error: ${message || type}`, evidence: [type, "import "] };
  }
  if (type === "MemoryError") {
    return { cause: "out-of-memory", headline: `Out of memory: MemoryError${reached(facts)}`, evidence: ["MemoryError"] };
  }
  const missing = /has no attribute '([^']+)'(?:: no step before this one set)?/.exec(facts.headline);
  if (missing && (type === "AttributeError" || type === "_ArtifactMissing") && /^Flow \w+ has no attribute/.test(message)) {
    return { cause: "missing-input", headline: `Missing input artifact: no step before this one set self.${missing[1]}`, evidence: [`'${missing[1]}'`] };
  }
  return { cause: "exception", headline: facts.headline, evidence: type ? [type] : [facts.headline] };
}

/** The cause of a failed attempt and its one-line headline. Never throws. */
export function classifyFailure(facts: FailureFacts): FailureReason {
  if (facts.kind === "cancelled") return { cause: "cancelled", headline: facts.headline, evidence: [] };
  if (facts.kind === "timeout") return { cause: "timeout", headline: `Timed out: ${facts.headline}`.replace(/^Timed out: Step \S+ timed out/, "Timed out"), evidence: ["timed out", "@timeout"] };
  const process = processReason(facts);
  if (process) return process;
  if (facts.kind === "infrastructure") return { cause: "infrastructure", headline: facts.headline, evidence: [facts.headline] };
  return exceptionReason(facts);
}

/**
 * Indexes of the lines that show a failure: those containing any evidence text, else the last
 * non-empty lines (a process that died says nothing about itself; what it printed last does).
 */
export function evidenceLines(reason: FailureReason, lines: readonly string[], lastLines = 3): number[] {
  const hits: number[] = [];
  lines.forEach((line, i) => {
    if (reason.evidence.some((e) => e !== "" && line.includes(e))) hits.push(i);
  });
  if (hits.length > 0) return hits;
  const nonEmpty = lines.map((l, i) => [l, i] as const).filter(([l]) => l.trim() !== "");
  return nonEmpty.slice(-lastLines).map(([, i]) => i);
}
