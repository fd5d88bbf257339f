// Previews of pandas frames, images, long strings and objects of classes defined in the flow file,
// with an interpreter that has pandas and Pillow: FLOWLENS_PANDAS_PYTHON (e.g. a venv made with
// `pip install pandas pillow`; `npm run setup:e2e` makes one). Skipped, with the reason, when it is not set.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import type { ArtifactItem, TaskItem } from "../../../client/src/explorer/treeModel";
import { ExplorerModel } from "../../../client/src/explorer/treeModel";
import { runPreview } from "../../../client/src/previews/previewRunner";
import { cli, repoRoot } from "./helpers";

const python = process.env.FLOWLENS_PANDAS_PYTHON;

const flow = `import io

import pandas as pd
from PIL import Image
from metaflow import FlowSpec, step


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return "Point(%d, %d)" % (self.x, self.y)


class RichFlow(FlowSpec):
    @step
    def start(self):
        self.frame = pd.DataFrame({"a": range(120), "b": [i * 0.5 for i in range(120)], "c": ["x%d" % i for i in range(120)]})
        buf = io.BytesIO()
        Image.new("RGB", (8, 4), (255, 0, 0)).save(buf, format="PNG")
        self.png = buf.getvalue()
        self.picture = Image.new("L", (3, 3))
        self.story = "word " * 10000
        self.point = Point(1, 2)
        self.next(self.end)

    @step
    def end(self):
        pass
`;

void test("frames page as tables; PNG bytes and PIL images as pictures; long text; flow-defined classes", { skip: python ? false : "set FLOWLENS_PANDAS_PYTHON to a Python with pandas and Pillow (npm run setup:e2e makes one)" }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-rich-"));
  writeFileSync(join(dir, "flow.py"), flow);
  const r = spawnSync(process.execPath, [cli, "run", join(dir, "flow.py"), "--python", python!, "--json"], { cwd: dir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout.slice(-2000) + r.stderr);
  const model = new ExplorerModel(new LocalObjectStore(join(dir, ".metaflow")));
  const task = ((await model.tasks("RichFlow", "1", "start")) as TaskItem[])[0]!;
  const arts = (await model.artifacts(task)) as ArtifactItem[];
  const sha = (name: string): string => arts.find((a) => a.name === name)!.sha;
  const base = { python: python!, pythonDir: join(repoRoot, "runtime", "python"), datastore: { kind: "local" as const, root: join(dir, ".metaflow"), env: {} }, flow: "RichFlow", flowFile: join(dir, "flow.py") };

  const frame = await runPreview({ ...base, sha: sha("frame"), offset: 100 });
  assert.equal(frame.kind, "table", JSON.stringify(frame).slice(0, 300));
  if (frame.kind === "table") {
    assert.deepEqual(frame.shape, [120, 3]);
    assert.deepEqual(frame.columns, ["(index)", "a", "b", "c"]);
    assert.deepEqual(frame.dtypes.slice(1, 3), ["int64", "float64"]);
    assert.equal(frame.rows.length, 20, "rows 100..119");
    assert.deepEqual(frame.rows[0], [100, 100, 50, "x100"]);
    // Each numeric column on its own; the text column has none. Pooled, a's and b's values would mix.
    assert.deepEqual(Object.keys(frame.columnStats ?? {}), ["a", "b"]);
    assert.equal(frame.columnStats?.a?.max, 119);
    assert.equal(frame.columnStats?.b?.max, 59.5);
    assert.equal(frame.stats, undefined);
  }
  const byB = await runPreview({ ...base, sha: sha("frame"), limit: 3, sort: { column: "b", descending: true } });
  assert.deepEqual(byB.kind === "table" ? byB.rows.map((r) => r[0]) : byB, [119, 118, 117], "sorted over the whole frame, then paged");
  const png = await runPreview({ ...base, sha: sha("png") });
  assert.equal(png.kind === "image" ? png.mime : png.kind, "image/png");
  const picture = await runPreview({ ...base, sha: sha("picture") });
  assert.equal(picture.kind === "image" ? picture.mime : picture.kind, "image/png");
  const story = await runPreview({ ...base, sha: sha("story") });
  assert.equal(story.kind, "text");
  const point = await runPreview({ ...base, sha: sha("point") });
  assert.deepEqual(point.kind === "repr" ? point.text : point, "Point(1, 2)");
  const noPandas = await runPreview({ ...base, python: "python3", sha: sha("frame") });
  assert.match(noPandas.kind === "error" ? noPandas.message : JSON.stringify(noPandas), /the module 'pandas' is not installed/);
});
