// Starts code-server (a real VS Code 1.100 in the browser, installed by scripts/install-code-server.sh)
// in its own process group, waits for its "listening" line, and stops the whole group: its
// file-watcher and extension-host children linger otherwise.
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../support/loopback";
import { codeServerEntry, repoRoot } from "./environment";

export interface CodeServer {
  url: string;
  port: number;
  workspace: string;
  dir: string;
  output(): string;
  stop(): Promise<void>;
}

/** A fresh temporary folder with user settings that keep the workbench quiet and offline. */
/** `trusted: false` opens the workspace in Restricted Mode (Workspace Trust on, no startup prompt). */
export function prepareDirs(label: string, options: { trusted: boolean } = { trusted: true }): { dir: string; userData: string; extensions: string; workspace: string; trusted: boolean } {
  const dir = mkdtempSync(join(tmpdir(), `flowlens-e2e-${label}-`));
  const userData = join(dir, "user-data");
  const extensions = join(dir, "extensions");
  const workspace = join(dir, "workspace");
  mkdirSync(join(userData, "User"), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  cpSync(join(repoRoot, "test", "e2e", "fixtures", "workspace"), workspace, { recursive: true });
  const settings = {
    "security.workspace.trust.enabled": !options.trusted,
    "security.workspace.trust.startupPrompt": "never",
    "security.workspace.trust.banner": "never",
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "telemetry.telemetryLevel": "off",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "update.mode": "none",
    "editor.codeLens": true,
    "editor.minimap.enabled": false,
    "files.autoSave": "off",
    "chat.disableAIFeatures": true,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
  };
  writeFileSync(join(userData, "User", "settings.json"), JSON.stringify(settings, null, 2));
  return { dir, userData, extensions, workspace, trusted: options.trusted };
}

export function installExtension(vsix: string, dirs: { userData: string; extensions: string }): void {
  const r = spawnSync(process.execPath, [codeServerEntry, "--user-data-dir", dirs.userData, "--extensions-dir", dirs.extensions, "--install-extension", vsix], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

export async function startCodeServer(
  dirs: { dir: string; userData: string; extensions: string; workspace: string; trusted: boolean },
  env: Record<string, string> = {},
): Promise<CodeServer> {
  const port = await freePort();
  const args = [
    codeServerEntry,
    "--bind-addr", `127.0.0.1:${port}`,
    "--auth", "none",
    "--disable-telemetry",
    "--disable-update-check",
    ...(dirs.trusted ? ["--disable-workspace-trust"] : []),
    "--user-data-dir", dirs.userData,
    "--extensions-dir", dirs.extensions,
    dirs.workspace,
  ];
  const child: ChildProcess = spawn(process.execPath, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let log = "";
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (/HTTP server listening on/.test(log)) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`code-server exited (${code}) before listening:\n${log}`)));
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`code-server did not report "HTTP server listening" within 30 s:\n${log}`)), 30_000);
  });
  try {
    await Promise.race([listening, deadline]);
  } catch (err) {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    throw err;
  } finally {
    clearTimeout(timer);
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    workspace: dirs.workspace,
    dir: dirs.dir,
    output: () => log,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // The group is gone already.
        }
      }, 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The last `lines` of the extension's own log (its "Flowlens" output channel) in `userData`, for failure messages. */
export function extensionLog(userData: string, lines = 25): string {
  const logs = join(userData, "logs");
  if (!existsSync(logs)) return "(no logs folder)";
  const files = readdirSync(logs, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(join("flowlens.flowlens", "Flowlens.log")));
  if (files.length === 0) return "(no Flowlens log)";
  return files
    .map((f) => readFileSync(join(logs, f), "utf8").trimEnd().split("\n").slice(-lines).join("\n"))
    .join("\n");
}
