// API clients whose calls share one keep-alive connection pool. The client library's kubeconfig
// authentication gives every request a new HTTP agent, so every call of a run (a Job's creation,
// each read of a Job, the permission checks) opened its own connection, and on a real cluster
// made its own TLS handshake. Here the authentication still runs for every request (a token from
// an exec plugin or a refreshed file is picked up as before), but the agent it made is replaced
// by one kept for the executor's life, made again only when the TLS material changes.
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { createConfiguration, ServerConfiguration, type Configuration, type KubeConfig, type RequestContext, type SecurityAuthentication } from "@kubernetes/client-node";

/** The agent options that decide whom a connection trusts and as whom it connects. */
const identity = ["ca", "cert", "key", "pfx", "passphrase", "rejectUnauthorized", "servername"] as const;

type AgentOptions = Record<string, unknown>;
const optionsOf = (agent: HttpAgent): AgentOptions => (agent as unknown as { options?: AgentOptions }).options ?? {};

function sameIdentity(a: AgentOptions, b: AgentOptions): boolean {
  return identity.every((k) => {
    const x = a[k];
    const y = b[k];
    return Buffer.isBuffer(x) && Buffer.isBuffer(y) ? x.equals(y) : x === y;
  });
}

export class SharedAgentAuth implements SecurityAuthentication {
  private agent: HttpAgent | undefined;
  /** Agents made so far (one unless the credentials' TLS material changed); tests read it. */
  made = 0;

  constructor(private readonly config: KubeConfig) {}

  getName(): string {
    return "kubeconfig authentication, one keep-alive agent";
  }

  async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await this.config.applySecurityAuthentication(context);
    const fresh = context.getAgent();
    // A proxy's agent (HTTP, HTTPS or SOCKS) is kept as the library made it.
    if (!fresh || (fresh.constructor !== HttpsAgent && fresh.constructor !== HttpAgent)) return;
    const options = optionsOf(fresh);
    if (!this.agent || this.agent.constructor !== fresh.constructor || !sameIdentity(optionsOf(this.agent), options)) {
      this.agent?.destroy();
      const Made = fresh.constructor as typeof HttpAgent;
      // A bounded pool: a hundred Jobs created at once queue on 16 connections (on a real cluster
      // each new one is a TLS handshake) instead of opening a hundred.
      this.agent = new Made({ ...options, keepAlive: true, maxSockets: 16 });
      this.made += 1;
    }
    context.setAgent(this.agent);
  }

  /** Closes the kept connections (idle ones never hold the process open: Node unrefs them). */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}

/** `config.makeApiClient(Api)`, with `auth` in place of the per-request agents. */
export function makeSharedApiClient<T>(config: KubeConfig, auth: SharedAgentAuth, Api: new (configuration: Configuration) => T): T {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no current cluster");
  return new Api(createConfiguration({ baseServer: new ServerConfiguration(cluster.server, {}), authMethods: { default: auth } }));
}
