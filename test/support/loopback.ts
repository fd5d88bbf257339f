// Loopback ports for the test servers: every server a test starts listens on 127.0.0.1 only.
import { once } from "node:events";
import { createServer, type Server } from "node:net";

/** Starts `server` on a free loopback port and resolves with the port. */
export async function listenLoopback(server: Server): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}

/** A loopback port that was free a moment ago, for a child server that takes its port as an argument. */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listenLoopback(server);
  server.close();
  await once(server, "close");
  return port;
}
