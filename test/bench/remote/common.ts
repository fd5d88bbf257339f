// What the remote benchmarks share: the loopback S3 servers they run against, options, the
// median (from ../stats), and the CPU time of a process (so a figure can say whether the client or the server
// was the limit).
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { startMoto } from "../../remote/servers/moto";
import { startS3rver } from "../../remote/servers/s3rver";

export type ServerName = "moto" | "s3rver";

export interface BenchServer {
  name: ServerName;
  endpoint: string;
  pid: number;
  env: Record<string, string>;
  /** Why figures from this server look the way they do: printed with them. */
  character: string;
  stop(): Promise<void>;
}

export async function startServer(name: ServerName): Promise<BenchServer> {
  if (name === "moto") {
    const moto = await startMoto();
    return {
      name,
      endpoint: moto.endpoint,
      pid: moto.pid,
      env: moto.env,
      character:
        "moto_server 5.2.1: one Python process (werkzeug, one core under the GIL), objects in memory, a new connection per request; " +
        "CompleteMultipartUpload joins every part into a new object in the request (a copy of all the bytes)",
      stop: () => moto.stop(),
    };
  }
  const s3rver = await startS3rver();
  return {
    name,
    endpoint: s3rver.endpoint,
    pid: s3rver.pid,
    env: s3rver.env,
    character:
      "s3rver 3.7.1: one Node process, objects as files with an MD5 of every byte; keep-alive; " +
      "CompleteMultipartUpload re-reads every part file and writes (and hashes) the whole object again",
    stop: () => s3rver.stop(),
  };
}

export function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const fromEnv = process.env[`FLOWLENS_BENCH_${name.toUpperCase()}`];
  const value = at >= 0 ? Number(process.argv[at + 1]) : fromEnv !== undefined ? Number(fromEnv) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The servers to run against: `--server moto|s3rver`, both by default. */
export function servers(): ServerName[] {
  const at = process.argv.indexOf("--server");
  const one = at >= 0 ? process.argv[at + 1] : process.env.FLOWLENS_BENCH_SERVER;
  return one === "moto" || one === "s3rver" ? [one] : ["moto", "s3rver"];
}

export { median } from "../stats";

export const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export const list = (values: number[], unit: (v: number) => string = secs): string => values.map(unit).join(", ");

/** CPU seconds (user + system) a process has used so far, from /proc: 0 where /proc is missing. */
export function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime are fields 14 and 15 of stat, counted in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
}

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}
