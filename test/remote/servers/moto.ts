// Starts `moto_server` (S3 and Batch APIs, in memory) on a free loopback port for a test, and
// waits until it answers: it reads the server's own "Running on" line, then checks one request.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { freePort } from "../../support/loopback";

export interface MotoServer {
  endpoint: string;
  port: number;
  /** The server process, so a benchmark can read its CPU time. */
  pid: number;
  /** Environment that points the AWS SDKs (Node and boto3) at this server with dummy credentials. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export const testCredentials = { AWS_ACCESS_KEY_ID: "AKIATESTFLOWLENS0001", AWS_SECRET_ACCESS_KEY: "flowlens/test+secret/DoNotLeak0123456789abcd" };

export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const child: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  const endpoint = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes("Running on")) {
        child.stderr?.off("data", onData);
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stderr?.on("data", onData);
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`moto_server exited with ${code} before answering: ${output}`)));
    child.once("error", reject);
  });
  // Drain output so the pipes never fill up and block the server.
  child.stdout?.resume();
  child.stderr?.resume();
  const res = await fetch(`${endpoint}/moto-api/`);
  if (!res.ok) throw new Error(`moto_server at ${endpoint} answered ${res.status}`);
  await res.arrayBuffer();
  return {
    endpoint,
    port,
    pid: child.pid ?? 0,
    env: { ...testCredentials, AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_S3: endpoint, AWS_ENDPOINT_URL_BATCH: endpoint },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}
