// Starts s3rver (npm, a Node S3 server storing objects as files) on a free loopback port for a
// test or a benchmark. It runs in a child process of its own, not in the caller's: a benchmark
// that measured the client and the server on one event loop would charge the server's work
// (MD5 of every byte, file writes) to the client.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface S3rverServer {
  endpoint: string;
  /** The server process, so a benchmark can read its CPU time. */
  pid: number;
  /** Environment that points the AWS SDKs at this server: s3rver accepts only its own key pair. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

// The child prints its port once listening; the directory is the caller's and is removed by stop().
const childMain = `
const S3rver = require("s3rver");
const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: process.argv[1] });
server.run().then((address) => process.stdout.write(JSON.stringify({ port: address.port }) + "\\n"), (error) => { console.error(error); process.exit(1); });
`;

export async function startS3rver(): Promise<S3rverServer> {
  const directory = await mkdtemp(join(tmpdir(), "flowlens-s3rver-"));
  const child: ChildProcess = spawn(process.execPath, ["-e", childMain, directory], { stdio: ["ignore", "pipe", "pipe"], cwd: join(__dirname, "..", "..", "..") });
  const port = await new Promise<number>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const line = /\{"port":(\d+)\}/.exec(output);
      if (line) {
        child.stdout?.off("data", onData);
        resolve(Number(line[1]));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`s3rver exited with ${code} before listening: ${output}`)));
    child.once("error", reject);
  });
  child.stdout?.resume();
  child.stderr?.resume();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    pid: child.pid ?? 0,
    env: { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_S3: endpoint },
    async stop() {
      if (child.exitCode === null) {
        const exited = once(child, "exit");
        child.kill("SIGTERM");
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}
