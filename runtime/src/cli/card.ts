// `flowlens card list|get|view Flow/run/step[/task]`: the cards of a task in Metaflow's card layout
// (runtime/src/datastore/cards.ts), from the local datastore or S3.

import { spawn } from "node:child_process";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cardLabel, listTaskCards, readCardHtml, type CardFile, type CardFilter } from "../datastore/cards";
import { lastOption, parseArgs } from "./args";
import { UsageError, type CliIo, type Command } from "./command";
import { NotFound, resolveTarget, storeOptions } from "./pathspec";

const subcommands = ["list", "get", "view"] as const;
type Sub = (typeof subcommands)[number];

export const cardCmd: Command = {
  name: "card",
  usage: `Usage: flowlens card list|get|view Flow/run/step[/task] [options]

  list    the task's cards (every task of the step without /task)
  get     write one card's HTML page to --file FILE (or to stdout)
  view    open one card's page in the browser (prints its path when no browser opener exists)
"latest" may stand for the run id. When several cards match, get and view take the newest.

Options:
  --type TYPE               only cards of this type (default, blank, html, ...)
  --id ID                   only the card with this id
  --hash HASH               only the card whose hash starts with HASH
  --file FILE               (get) write the page here
  --json                    (list) one JSON array
  --datastore local|s3      where to read (default local)
  --datastore-root ROOT     a local folder or s3://bucket/prefix`,
  run: async (args, io) => {
    const parsed = parseArgs(args, { options: [...storeOptions, "type", "id", "hash", "file"], flags: ["json"] }, false);
    const sub = parsed.positional.shift();
    if (sub === undefined) throw new UsageError("missing the subcommand: list, get or view");
    if (!(subcommands as readonly string[]).includes(sub)) throw new UsageError(`unknown subcommand '${sub}' (list, get or view)`);
    if (parsed.positional.length > 1) throw new UsageError(`unexpected argument '${parsed.positional[1] ?? ""}'`);
    const filter: CardFilter = {};
    for (const name of ["type", "id", "hash"] as const) {
      const value = lastOption(parsed, name);
      if (value !== undefined) filter[name] = value;
    }
    try {
      const target = await resolveTarget(parsed, io);
      const store = target.ds.store;
      const cards = (await Promise.all(target.tasks.map((task) => listTaskCards(store, { flow: target.ds.flow, run: target.run, step: target.step, task }, filter)))).flat();
      const spec = `${target.ds.flow}/${target.run}/${target.step}${target.tasks.length === 1 ? `/${target.tasks[0] ?? ""}` : ""}`;
      if ((sub as Sub) === "list") return listCards(cards, spec, parsed.flags.has("json"), (key) => target.ds.where(key), io);
      const card = cards.sort((a, b) => a.modified - b.modified).at(-1);
      if (!card) throw new NotFound(`no card at ${spec}${describeFilter(filter)} in ${target.ds.describe()}`);
      if (cards.length > 1) io.stderr(`flowlens card: ${cards.length} cards match; using the newest, ${cardLabel(card)} (narrow with --type, --id or --hash)\n`);
      const html = await readCardHtml(store, card);
      if (html === undefined) throw new NotFound(`the card ${cardLabel(card)} is gone from ${target.ds.describe()}`);
      if (sub === "get") return getCard(html, lastOption(parsed, "file"), io);
      const path = store.kind === "local" ? target.ds.where(card.key) : writeTemp(card, html);
      return await viewCard(path, io);
    } catch (error) {
      if (error instanceof NotFound) {
        io.stderr(`flowlens card: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

function listCards(cards: CardFile[], spec: string, json: boolean, where: (key: string) => string, io: CliIo): number {
  if (json) {
    io.stdout(JSON.stringify(cards.map((c) => ({ pathspec: `${c.flow}/${c.run}/${c.step}/${c.task}`, type: c.type, id: c.id ?? null, hash: c.hash, path: where(c.key), size: c.size, modified: new Date(c.modified).toISOString() })), null, 2) + "\n");
    return 0;
  }
  if (cards.length === 0) {
    io.stdout(`${spec}: no cards\n`);
    return 0;
  }
  for (const c of cards) io.stdout(`${c.flow}/${c.run}/${c.step}/${c.task}  type=${c.type}  id=${c.id ?? "-"}  hash=${c.hash}  ${where(c.key)}\n`);
  return 0;
}

function getCard(html: string, file: string | undefined, io: CliIo): number {
  if (file === undefined) {
    io.stdout(html);
    return 0;
  }
  const path = resolve(io.cwd, file);
  try {
    writeFileSync(path, html);
  } catch (error) {
    throw new NotFound(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  io.stdout(`${path}\n`);
  return 0;
}

/** An S3 card is viewed from a local copy: browsers do not open s3:// addresses. */
function writeTemp(card: CardFile, html: string): string {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-card-"));
  const path = join(dir, card.key.split("/").at(-1) ?? "card.html");
  writeFileSync(path, html);
  return path;
}

/** The platform's opener; when none can be started the path is printed for the user to open. */
async function viewCard(path: string, io: CliIo): Promise<number> {
  const opener = process.platform === "darwin" ? ["open", path] : process.platform === "win32" ? ["cmd", "/c", "start", "", path] : ["xdg-open", path];
  const started = io.env.FLOWLENS_NO_BROWSER ? false : await startDetached(opener[0] as string, opener.slice(1));
  io.stdout(started ? `opened ${path}\n` : `${path}\n`);
  if (!started) io.stderr(`flowlens card: no browser opener (${opener[0] ?? ""}) could be started; open the file above\n`);
  return 0;
}

function startDetached(command: string, args: string[]): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn(command, args, { detached: true, stdio: "ignore" });
    child.once("error", () => done(false));
    child.once("spawn", () => {
      child.unref();
      done(true);
    });
  });
}

function describeFilter(filter: CardFilter): string {
  const parts = Object.entries(filter).map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? ` matching ${parts.join(" ")}` : "";
}
