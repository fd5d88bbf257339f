// A loopback AWS Batch endpoint for tests. It speaks the REST-JSON protocol that
// @aws-sdk/client-batch uses (POST /v1/<operation>, JSON bodies, x-amzn-errortype errors),
// validates requests as the service does (required fields, job name rules, resource types,
// environment names, a 60 s minimum timeout), and RUNS each job's container command as a local
// process (no Docker here) with the job's environment, moving it through SUBMITTED, PENDING,
// RUNNABLE, STARTING, RUNNING and SUCCEEDED/FAILED. Timeouts are scaled (`secondScaleMs`) so a
// 60 s attempt duration can expire in a test. The jobs are batchJobs.ts, the operations batchApi.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { once } from "node:events";
import { listenLoopback } from "../../support/loopback";
import { batchHandlers } from "./batchApi";
import { BatchJobs, running, type Definition, type Job, type Json } from "./batchJobs";

export interface BatchServerOptions {
  /** Queues that exist (ENABLED, VALID). */
  queues: string[];
  /** Environment every container gets from its "instance" (credentials via the job role, PATH). */
  containerEnv: Record<string, string>;
  /** What the compute environment can place; bigger jobs stay RUNNABLE, as on a real queue. */
  capacity?: { vcpus: number; memoryMiB: number };
  /** Real milliseconds per Batch second, for timeouts. */
  secondScaleMs?: number;
  /** Milliseconds between status moves before RUNNING. */
  stepMs?: number;
  /**
   * Keep each status until a DescribeJobs has reported it, so a test can assert the whole
   * sequence (the real service moves on regardless; pollers may miss short states). Default true.
   */
  holdUntilObserved?: boolean;
}

export interface BatchServer {
  endpoint: string;
  jobs: Map<string, Job>;
  definitions: Definition[];
  /** Every call, by operation name, for assertions. */
  calls: { operation: string; body: Json }[];
  stop(): Promise<void>;
}

export async function startBatchServer(options: BatchServerOptions): Promise<BatchServer> {
  const state = new BatchJobs(options);
  const { jobs, definitions } = state;
  const calls: BatchServer["calls"] = [];
  const handlers = batchHandlers(state, options);

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const operation = (req.url ?? "").replace(/^\/v1\//, "").split("?")[0] ?? "";
      const reply = (status: number, body: Json, errorType?: string): void => {
        const text = JSON.stringify(body);
        res.writeHead(status, { "content-type": "application/json", ...(errorType ? { "x-amzn-errortype": errorType } : {}) });
        res.end(text);
      };
      const handler = handlers[operation];
      if (req.method !== "POST" || !handler) {
        reply(404, { message: `unknown operation ${req.method} ${req.url}` }, "ClientException");
        return;
      }
      if (!/AWS4-HMAC-SHA256 Credential=/.test(req.headers.authorization ?? "")) {
        reply(403, { message: "Missing Authentication Token" }, "UnrecognizedClientException");
        return;
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as Json;
        calls.push({ operation, body });
        reply(200, handler(body));
      } catch (error) {
        reply(400, { message: error instanceof Error ? error.message : String(error) }, "ClientException");
      }
    });
  });
  const port = await listenLoopback(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    jobs,
    definitions,
    calls,
    async stop() {
      for (const job of jobs.values()) {
        if (job.timer) clearTimeout(job.timer);
        if (job.process && running(job)) {
          const exited = once(job.process, "exit");
          state.killContainer(job, "SIGKILL");
          await exited;
        }
      }
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
