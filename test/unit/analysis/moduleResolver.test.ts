// The one import rule of the editor and the CLI (server/src/parser/moduleResolver.ts), over an
// in-memory tree: what Python finds when the flow runs as `python flows/train.py`, plus the
// folders above the flow up to the workspace root.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { createModuleResolver, searchFolders } from "../../../server/src/parser/moduleResolver";

const root = "/ws/proj";
const tree: Record<string, string> = {
  [join(root, "flows/train.py")]: "",
  [join(root, "flows/pkg/__init__.py")]: "pkg",
  [join(root, "flows/pkg/base.py")]: "base",
  [join(root, "flows/pkg/common.py")]: "common",
  [join(root, "shared/helpers.py")]: "helpers",
  ["/ws/outside.py"]: "outside",
};
const read = (file: string) => tree[file];
const train = join(root, "flows/train.py");
const base = join(root, "flows/pkg/base.py");

void test("absolute imports are searched from the analysed file's folder, also for modules it imports", () => {
  const resolve = createModuleResolver({ mainFile: train, roots: [root], read });
  assert.equal(resolve("pkg.base", train)?.file, base);
  // pkg/base.py importing pkg.common: found from flows/ (Python's sys.path[0]), not from pkg/.
  assert.equal(resolve("pkg.common", base)?.file, join(root, "flows/pkg/common.py"));
  // Python 3 has no implicit relative import: `common` alone is not found beside base.py.
  assert.equal(resolve("common", base), undefined);
  assert.equal(resolve("pkg", train)?.file, join(root, "flows/pkg/__init__.py"));
});

void test("relative imports start from the importing module's folder", () => {
  const resolve = createModuleResolver({ mainFile: train, roots: [root], read });
  assert.equal(resolve(".common", base)?.text, "common");
  assert.equal(resolve("..train", base)?.file, train);
  assert.equal(resolve(".helpers", base), undefined);
  assert.equal(resolve(".pkg.common", train)?.text, "common");
  assert.equal(resolve(".", base)?.text, "pkg");
});

void test("the folders above the file are searched up to the workspace root, not beyond", () => {
  assert.deepEqual(searchFolders(train, [root]), [join(root, "flows"), root]);
  const resolve = createModuleResolver({ mainFile: train, roots: [root], read });
  assert.equal(resolve("shared.helpers", base)?.text, "helpers");
  assert.equal(resolve("outside", train), undefined);
  // Outside every root (or with none), the search goes up to the file system root.
  assert.equal(createModuleResolver({ mainFile: train, roots: [], read })("outside", train)?.text, "outside");
  assert.deepEqual(searchFolders(train, ["/elsewhere"]).at(-1), "/");
  // A buffer with no path searches the workspace roots.
  assert.deepEqual(searchFolders(undefined, [root]), [root]);
});
