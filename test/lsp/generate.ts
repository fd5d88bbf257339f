// Generated flow files for the huge-file, many-files and soak tests and for the benchmark.
import { seededRandom } from "../support/random";

/** A valid linear flow with `steps` steps of `bodyLines` lines each (about steps * (bodyLines + 4) lines). */
export function bigFlow(name: string, steps: number, bodyLines = 14): string {
  const out = ["from metaflow import FlowSpec, step, Parameter", "", "", `class ${name}(FlowSpec):`, `    size = Parameter("size", default=10, help="How many.")`, ""];
  for (let i = 0; i < steps; i++) {
    const stepName = i === 0 ? "start" : i === steps - 1 ? "end" : `step_${i}`;
    const next = i === steps - 2 ? "end" : `step_${i + 1}`;
    out.push("    @step", `    def ${stepName}(self):`, `        """Step ${i}."""`);
    for (let j = 0; j < bodyLines; j++) out.push(j === 0 ? `        self.v${i} = ${i} + self.size` : `        x_${j} = self.v${i} * ${j}  # work ${j}`);
    if (i < steps - 1) out.push(`        self.next(self.${next})`);
    out.push("");
  }
  out.push("", 'if __name__ == "__main__":', `    ${name}()`, "");
  return out.join("\n");
}

/** A small deterministic pseudo-random generator, so that a failing soak run can be replayed. */
export const random = seededRandom;
