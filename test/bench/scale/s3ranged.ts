// The Python `S3` tool reading one large object: parallel ranged GETs written in place
// (runtime/python/flowlens/_s3ranged.py) against one plain GET of the same object, same server,
// medians of interleaved rounds (s3ranged.py does the reading).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { resolvePythonDir } from "../../../runtime/src/executors/local/pythonDir";
import { S3ObjectStore } from "../../../runtime/src/datastore/s3/store";
import { startServer, type ServerName } from "../remote/common";
import { load, secs } from "./common";

const bucket = "bench-ranged";

export async function pythonRangedGet(name: ServerName, mib: number, rounds: number): Promise<void> {
  const server = await startServer(name);
  const store = new S3ObjectStore({ root: `s3://${bucket}/root`, env: { ...server.env } });
  try {
    await store.client.send(new CreateBucketCommand({ Bucket: bucket }));
    const env = { ...process.env, ...server.env, PYTHONPATH: resolvePythonDir(process.env) };
    const out = execFileSync("python3", [join(import.meta.dirname, "s3ranged.py"), bucket, String(mib), String(rounds)], { env, encoding: "utf8" });
    const r = JSON.parse(out) as { ranged: number; single: number; range_mib: number; workers: number };
    console.log(`Python S3 tool, one ${mib} MiB object on ${name}, ${rounds} interleaved rounds (medians): the first range from the GET and ${String(r.workers)} in parallel, ${r.range_mib.toFixed(1)} MiB each, ${secs(r.ranged * 1000)}, one GET ${secs(r.single * 1000)}; ${(r.single / r.ranged).toFixed(2)}x; ${load()}`);
  } finally {
    store.close();
    await server.stop();
  }
}
