#!/usr/bin/env node
// The `flowlens` command: the bundled CLI (check, show, lsp, run, resume, step, logs, dump).
"use strict";
const path = require("node:path");
const fs = require("node:fs");
const bundle = path.join(__dirname, "..", "dist", "cli.js");
if (!fs.existsSync(bundle)) {
  process.stderr.write("flowlens: the CLI is not built yet. Run `npm run build` in " + path.dirname(__dirname) + " first.\n");
  process.exit(2);
}
require(bundle);
