// A loopback proxy in front of an S3 endpoint that can be switched, mid-run, to answer every
// request the way a broken S3 does: the bucket removed (404 NoSuchBucket), access revoked (403
// AccessDenied), or an outage (503 SlowDown). Switched back, it forwards again.
import { once } from "node:events";
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import { listenLoopback } from "../../support/loopback";

export type S3Mode = "forward" | "no-bucket" | "denied" | "outage";

const answers: Record<Exclude<S3Mode, "forward">, [number, string]> = {
  "no-bucket": [404, "NoSuchBucket"],
  denied: [403, "AccessDenied"],
  outage: [503, "SlowDown"],
};

export interface S3Switch {
  endpoint: string;
  set(mode: S3Mode): void;
  /** Requests answered by the switch (not forwarded) so far. */
  refused: number;
  stop(): Promise<void>;
}

export async function startS3Switch(target: string | undefined, mode: S3Mode = "forward"): Promise<S3Switch> {
  const url = target ? new URL(target) : undefined;
  let current = mode;
  const state = { refused: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (current === "forward" && url) {
      const upstream = request({ host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on("error", () => res.socket?.destroy());
      req.pipe(upstream);
      return;
    }
    state.refused++;
    req.resume();
    const [status, code] = answers[current === "forward" ? "outage" : current];
    // HEAD answers carry no body; the SDK reads the status alone.
    const body = req.method === "HEAD" ? "" : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>switched off by the test</Message><RequestId>SWITCH</RequestId></Error>`;
    res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  const port = await listenLoopback(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    set(m) {
      current = m;
    },
    get refused() {
      return state.refused;
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
