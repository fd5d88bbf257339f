// Flow texts for the LSP tests, and helpers to find positions in them by a marker string.
import type { Position } from "vscode-languageserver-protocol";

export const goodFlow = `from metaflow import FlowSpec, step, Parameter, resources, batch, retry


class TrainFlow(FlowSpec):
    """Trains a model per alpha."""

    alpha = Parameter("alpha", default=0.5, type=float, help="Learning rate.")

    @step
    def start(self):
        """Load the data."""
        self.data = [1, 2, 3]
        self.grid = [0.1, 0.2]
        self.next(self.train, foreach="grid")

    @resources(cpu=4, memory=16000)
    @batch(cpu=8)
    @step
    def train(self):
        self.score = self.input * self.alpha + len(self.data)
        self.next(self.join)

    @step
    def join(self, inputs):
        self.best = max(i.score for i in inputs)
        self.merge_artifacts(inputs, exclude=["score"])
        self.next(self.end)

    @step
    def end(self):
        print(self.best, self.data)


if __name__ == "__main__":
    TrainFlow()
`;

export const brokenFlow = `from metaflow import FlowSpec, step


class BrokenFlow(FlowSpec):
    @step
    def start(self):
        self.x = 1
        self.next(self.middle)

    @step
    def middle(self):
        self.y = self.x + 1

    @step
    def end(self):
        print(self.y)
`;

export const splitFlow = `from metaflow import FlowSpec, step


class SplitFlow(FlowSpec):
    @step
    def start(self):
        self.next(self.a, self.b)

    @step
    def a(self):
        self.x = 1
        self.next(self.join)

    @step
    def b(self):
        self.x = 2
        self.next(self.join)

    @step
    def join(self, inputs):
        self.total = inputs.a.x + inputs.b.x
        self.next(self.end)

    @step
    def end(self):
        print(self.total)
`;

/** The position of the `nth` occurrence of `marker` in `text`, plus `delta` characters. */
export function positionOf(text: string, marker: string, delta = 0, nth = 0): Position {
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = text.indexOf(marker, index + 1);
    if (index < 0) throw new Error(`marker ${JSON.stringify(marker)} not found`);
  }
  const offset = index + delta;
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: { range: { start: Position; end: Position }; newText: string }[]): string {
  const offset = (p: Position): number => {
    const lines = text.split("\n");
    let o = 0;
    for (let i = 0; i < p.line; i++) o += (lines[i]?.length ?? 0) + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
