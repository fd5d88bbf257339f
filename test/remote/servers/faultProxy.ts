// A loopback proxy in front of an S3 endpoint that fails a fraction of requests the ways S3 and
// networks do: 503 SlowDown, 500 InternalError, a connection reset before any answer, and a
// GET body cut off halfway. A seeded generator makes a failing run reproducible.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { once } from "node:events";
import { listenLoopback } from "../../support/loopback";
import { seededRandom as seeded } from "../../support/random";

export interface FaultCounts {
  requests: number;
  slowDown: number;
  internalError: number;
  reset: number;
  truncated: number;
}

export interface FaultProxy {
  endpoint: string;
  counts: FaultCounts;
  /** Fraction of requests to fail, changeable while running. */
  setRate(rate: number): void;
  /** Every request's headers, so tests can check what was sent. */
  seenHeaders: Record<string, string | string[] | undefined>[];
  stop(): Promise<void>;
}


function xmlError(res: ServerResponse, status: number, code: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected by the test proxy</Message><RequestId>FAULT</RequestId></Error>`;
  res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

export type FaultKind = Exclude<keyof FaultCounts, "requests">;

/** `only`: fail requests in this one way (a truncated body only happens to GETs). */
export async function startFaultProxy(target: string, options: { rate: number; seed?: number; latencyMs?: number; only?: FaultKind }): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const random = seeded(options.seed ?? 42);
  let rate = options.rate;
  const counts: FaultCounts = { requests: 0, slowDown: 0, internalError: 0, reset: 0, truncated: 0 };
  const seenHeaders: FaultProxy["seenHeaders"] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    counts.requests++;
    seenHeaders.push({ ...req.headers });
    const fail = random() < rate;
    const drawn = random();
    // Each kind's share of the failures: slowDown 30 %, internalError 25 %, reset 25 %, truncated 20 %.
    const kind = options.only === undefined ? drawn : { slowDown: 0, internalError: 0.3, reset: 0.55, truncated: 0.8 }[options.only];
    if (fail && kind < 0.3) {
      counts.slowDown++;
      req.resume();
      xmlError(res, 503, "SlowDown");
      return;
    }
    if (fail && kind < 0.55) {
      counts.internalError++;
      req.resume();
      xmlError(res, 500, "InternalError");
      return;
    }
    if (fail && kind < 0.8) {
      counts.reset++;
      req.socket.destroy();
      return;
    }
    const truncate = fail && req.method === "GET";
    // Optional first-byte latency, like a real S3 endpoint's, for benchmarks of parallel transfers.
    if (options.latencyMs) req.pause();
    setTimeout(() => forward(req, res, truncate), options.latencyMs ?? 0);
  });
  const forward = (req: IncomingMessage, res: ServerResponse, truncate: boolean): void => {
    req.resume();
    const upstream = request(
      { host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (truncate) {
          counts.truncated++;
          // Send part of the body, then drop the connection mid-transfer.
          up.once("data", (chunk: Buffer) => {
            // Dropped once the half is on the wire: destroying at once would discard the unsent
            // headers too, which the client would take for a reset before any answer.
            res.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))), () => res.socket?.destroy());
            up.destroy();
          });
          up.once("end", () => res.socket?.destroy());
          return;
        }
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.socket?.destroy());
    req.pipe(upstream);
  };
  const port = await listenLoopback(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    seenHeaders,
    setRate(r) {
      rate = r;
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
