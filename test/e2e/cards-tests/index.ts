// Card tabs end to end, inside code-server's extension host (loaded through the `payload` route by
// test/e2e/cards.test.ts). FLOWLENS_E2E_CARDS selects the cases:
//   "simulated": a task is simulated by writing card pages in the card contract's format into its
//     cards folder (test/support/cardPages.ts), as a running task refreshes its card; works without
//     the Python cards runtime.
//   "runtime": a real flow whose step appends a ProgressBar, a Table and an Image to a card and
//     refreshes it in a loop, run with Flowlens; needs the Python cards runtime.
// At checkpoints the outer test reads the card tab's DOM and takes screenshots (light and dark).
import * as assert from "node:assert/strict";
import { existsSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { checkpoint, hooks, notes, runCases, setColorTheme, withTimeout, type Case } from "../support/payloadCases";
import { flowlensCardPage, metaflowStylePage, pngDataUri, writeCardFile, writeTaskSkeleton, type TaskSpot } from "../../support/cardPages";
import type { RunSummary } from "../../../client/src/runs/summary";

const mode = process.env.FLOWLENS_E2E_CARDS ?? "simulated";
const folder = (): string => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

interface Rendered {
  key: string;
  title: string;
  components: number;
  final: boolean | null;
  ms: number;
}

/** The next drawing of a card tab; asked for before the write that causes it. */
function nextRender(): Promise<Rendered> {
  return hooks().nextCardRender();
}

const picture = pngDataUri(160, 90, (x, y) => (Math.hypot(x - 80, y - 45) < 30 ? [230, 120, 30] : [30 + x, 60 + y, 160]));

function livePage(t: TaskSpot, value: number, final: boolean): string {
  const components = [
    { type: "markdown", source: "# Training\nThe step refreshes this card while it runs." },
    { type: "progressBar", id: "bar", label: "Epochs", max: 5, value, unit: "epochs" },
    ...(final
      ? [
          { type: "table", id: "scores", columns: ["epoch", "loss"], data: [1, 2, 3, 4, 5].map((e) => [e, Math.round(1000 / (e + 1)) / 1000]) },
          { type: "image", src: picture, label: "final picture" },
        ]
      : []),
  ];
  return flowlensCardPage({ pathspec: `${t.flow}/${t.run}/${t.step}/${t.task}`, title: "Training card", type: "blank", id: "training", final, components });
}

const simulated: Case[] = [
  [
    "a live card re-renders in its tab on each write, then shows the final table and image, in light and dark",
    async () => {
      const t: TaskSpot = { root: join(folder(), ".metaflow"), flow: "CardLiveFlow", run: "3", step: "train", task: "5" };
      writeTaskSkeleton(t);
      const name = "blank-training-0a1b2c3d.html";
      writeCardFile(t, name, livePage(t, 1, false));
      const key = `mf.cards/${t.flow}/runs/${t.run}/steps/${t.step}/tasks/${t.task}/cards/${name}`;
      let rendered = nextRender();
      // Through the CodeLens command: the latest run's card of the step.
      const opened = await vscode.commands.executeCommand<string>("flowlens.openCard", { flow: t.flow, step: t.step });
      assert.equal(opened, key);
      let r = await withTimeout(rendered, 15_000, "the first drawing");
      assert.equal(r.final, false);
      assert.equal((await checkpoint("live-1", { progress: "1 epochs / 5 epochs", state: "live" })).ok, true);
      const latencies: number[] = [];
      for (const value of [2, 3, 4]) {
        rendered = nextRender();
        const t0 = Date.now();
        writeCardFile(t, name, livePage(t, value, false));
        await withTimeout(rendered, 5_000, `the drawing of progress ${value}`);
        latencies.push(Date.now() - t0);
        const ack = await checkpoint(`live-${value}`, { progress: `${value} epochs / 5 epochs`, state: "live" });
        assert.ok(ack.ok, ack.detail);
      }
      notes.set("write → drawn", `${latencies.join(", ")} ms`);
      assert.ok(latencies.every((ms) => ms < 1000), `each write is drawn within 1 s: ${latencies.join(", ")} ms`);
      rendered = nextRender();
      writeCardFile(t, name, livePage(t, 5, true));
      r = await withTimeout(rendered, 5_000, "the final drawing");
      assert.equal(r.final, true);
      assert.equal(r.components, 4);
      const light = await checkpoint("final-light", { progress: "5 epochs / 5 epochs", state: "final", tableRows: 5, image: true, theme: "vscode-light" });
      assert.ok(light.ok, light.detail);
      await setColorTheme("Default Dark Modern");
      const dark = await checkpoint("final-dark", { state: "final", theme: "vscode-dark" });
      await setColorTheme("Default Light Modern");
      assert.ok(dark.ok, dark.detail);
    },
  ],
  [
    "a Metaflow-made card is drawn from its data, never by its scripts; an HTML card goes to a frame without scripts; an earlier run's card is one click away",
    async () => {
      const t: TaskSpot = { root: join(folder(), ".metaflow"), flow: "CardLiveFlow", run: "2", step: "train", task: "4" };
      writeTaskSkeleton({ ...t });
      writeCardFile(t, "default-77aa88bb.html", metaflowStylePage(`${t.flow}/${t.run}/${t.step}/${t.task}`, [{ type: "title", text: "Made by Metaflow" }, { type: "table", columns: ["k"], data: [["v"]] }], true));
      writeCardFile(t, "html-99cc00dd.html", "<!doctype html><html><head><title>Raw report</title></head><body><h1 id='raw'>Raw HTML card</h1><script>document.getElementById('raw').textContent = 'script ran'</script></body></html>");
      let rendered = nextRender();
      await vscode.commands.executeCommand("flowlens.card.open", { key: `mf.cards/${t.flow}/runs/${t.run}/steps/${t.step}/tasks/${t.task}/cards/default-77aa88bb.html` });
      const r = await withTimeout(rendered, 15_000, "the Metaflow card");
      assert.equal(r.components, 2);
      assert.equal(r.final, true);
      const mf = await checkpoint("metaflow", { title: "Made by Metaflow", listHas: "run 3 · task 5" });
      assert.ok(mf.ok, mf.detail);
      rendered = nextRender();
      await vscode.commands.executeCommand("flowlens.card.open", { key: `mf.cards/${t.flow}/runs/${t.run}/steps/${t.step}/tasks/${t.task}/cards/html-99cc00dd.html` });
      await withTimeout(rendered, 15_000, "the HTML card");
      const html = await checkpoint("html", {});
      assert.ok(html.ok, html.detail);
      const tabs = hooks().openCardTabs();
      assert.equal(tabs.length, 3, "one tab per card");
      // From the Runs view: run 3 → train → Task 5 → Cards → the card, clicked by the outer test.
      await vscode.commands.executeCommand("workbench.action.closeAllEditors");
      assert.equal(await hooks().revealRun("CardLiveFlow", "3"), true);
      const tree = await checkpoint("tree", { treeRows: ["train", "Task 5", "Cards", "blank: training"], title: "Training card" });
      assert.ok(tree.ok, tree.detail);
    },
  ],
];

const runtimeFlow = (root: string): string => `import os
import time

from metaflow import FlowSpec, card, current, step
from metaflow.cards import Image, Markdown, ProgressBar, Table

PNG = bytes.fromhex(${JSON.stringify(Buffer.from(picture.split(",")[1] ?? "", "base64").toString("hex"))})

class CardLiveFlow(FlowSpec):
    @card(type="blank", id="training", refresh_interval=1)
    @step
    def start(self):
        bar = ProgressBar(max=5, label="Epochs", value=0)
        current.card["training"].append(Markdown("# Training"))
        current.card["training"].append(bar)
        current.card["training"].refresh()
        for i in range(1, 6):
            bar.update(i)
            current.card["training"].refresh()
            # The test writes SEEN-<i> once the tab shows it; the task waits for it (at most 10 s).
            marker = os.path.join(${JSON.stringify(root)}, "SEEN-%d" % i)
            for _ in range(100):
                if os.path.exists(marker):
                    break
                time.sleep(0.1)
        current.card["training"].append(Table([[e, round(1 / (e + 1), 3)] for e in range(1, 6)], headers=["epoch", "loss"]))
        current.card["training"].append(Image(PNG, label="final picture"))
        self.next(self.end)

    @step
    def end(self):
        pass

if __name__ == "__main__":
    CardLiveFlow()
`;

const runtime: Case[] = [
  [
    "a real flow's card: the tab shows the progress moving while the task runs, then the final table and image",
    async () => {
      const file = join(folder(), "card_live_flow.py");
      writeFileSync(file, runtimeFlow(folder()));
      const uri = vscode.Uri.file(file).toString();
      const running = vscode.commands.executeCommand<RunSummary>("flowlens.runFlow", { uri, file, flow: "CardLiveFlow" });
      // The card appears once the task's first refresh() wrote it.
      const cards = join(folder(), ".metaflow", "mf.cards");
      let key: string | undefined;
      for (let i = 0; i < 300 && key === undefined; i++) {
        key = await hooks().findLatestCard("CardLiveFlow", "start");
        if (key === undefined) await new Promise<void>((resolve) => {
          const w = watch(existsSync(cards) ? cards : folder(), { recursive: true }, () => {
            w.close();
            resolve();
          });
          setTimeout(() => {
            w.close();
            resolve();
          }, 1000);
        });
      }
      assert.ok(key, "the task wrote its card");
      const first = nextRender();
      await vscode.commands.executeCommand("flowlens.card.open", { key });
      await withTimeout(first, 15_000, "the first drawing");
      const seen: number[] = [];
      for (let i = 1; i <= 5; i++) {
        const ack = await checkpoint(`run-progress-${i}`, { progressAtLeast: i });
        assert.ok(ack.ok, ack.detail);
        seen.push(i);
        writeFileSync(join(folder(), `SEEN-${i}`), "1");
      }
      const summary = await running;
      assert.equal(summary.status, "succeeded", summary.outcome);
      const final = await checkpoint("run-final", { state: "final", tableRows: 5, image: true });
      assert.ok(final.ok, final.detail);
      notes.set("runtime", `progress seen ${seen.join(", ")}`);
    },
  ],
];

export function run(): Promise<void> {
  // The extension activates on Python files; the cases use its commands before opening any.
  return runCases(mode === "runtime" ? runtime : simulated, "card");
}
