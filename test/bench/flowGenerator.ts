// Generates a large, valid flow for benchmarks: linear chains, static splits and foreaches,
// each step about 20 lines of realistic code.
export function generateFlow(targetLines: number): string {
  const out: string[] = ["from metaflow import FlowSpec, step, Parameter, retry", "", "", "class BigFlow(FlowSpec):", '    """A generated flow."""', '    alpha = Parameter("alpha", default=0.5)', ""];
  const body = (i: number, reads: string) => [
    `        """Step ${i}: does some work."""`,
    `        total = 0`,
    `        for k in range(10):`,
    `            total += k * self.alpha`,
    `            if k % 3 == 0:`,
    `                total -= 1`,
    `        data = {"a": 1, "b": [1, 2, 3], "c": "text ${i}"}`,
    `        values = [v * 2 for v in data["b"]]`,
    `        self.value_${i} = total + sum(values)`,
    `        self.name_${i} = "step-${i}"`,
    `        print(${reads})`,
    `        try:`,
    `            self.ratio_${i} = total / (len(values) + 1)`,
    `        except ZeroDivisionError:`,
    `            self.ratio_${i} = 0.0`,
  ];
  let i = 0;
  let prevValue = "self.alpha";
  out.push("    @step", "    def start(self):", "        self.items = list(range(3))", `        self.next(self.s1)`, "");
  while (out.length < targetLines - 20) {
    i++;
    const name = `s${i}`;
    const next = `s${i + 1}`;
    if (i % 10 === 5) {
      // A static split into two branches and a join.
      out.push("    @retry(times=2)", "    @step", `    def ${name}(self):`, ...body(i, prevValue), `        self.next(self.${name}_a, self.${name}_b)`, "");
      for (const br of ["a", "b"]) out.push("    @step", `    def ${name}_${br}(self):`, ...body(i, `self.value_${i}`), `        self.branch = "${br}"`, `        self.next(self.${name}_join)`, "");
      out.push("    @step", `    def ${name}_join(self, inputs):`, `        self.merge_artifacts(inputs, exclude=["branch"])`, `        self.branches = [inp.branch for inp in inputs]`, `        self.next(self.${next})`, "");
    } else if (i % 10 === 8) {
      out.push("    @step", `    def ${name}(self):`, ...body(i, prevValue), `        self.next(self.${name}_each, foreach="items")`, "");
      out.push("    @step", `    def ${name}_each(self):`, ...body(i, "self.input"), `        self.next(self.${name}_join)`, "");
      out.push("    @step", `    def ${name}_join(self, inputs):`, `        self.merged = [inp.value_${i} for inp in inputs]`, `        self.items = inputs[0].items`, `        self.next(self.${next})`, "");
      prevValue = "self.alpha";
      continue;
    } else {
      out.push("    @step", `    def ${name}(self):`, ...body(i, prevValue), `        self.next(self.${next})`, "");
    }
    prevValue = `self.value_${i}`;
  }
  i++;
  out.push("    @step", `    def s${i}(self):`, "        self.next(self.end)", "", "    @step", "    def end(self):", '        print("done")', "", "", 'if __name__ == "__main__":', "    BigFlow()", "");
  return out.join("\n");
}
