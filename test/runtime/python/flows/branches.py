"""Foreach, static split, join, merge_artifacts and parameters: the shapes the executor test drives."""
from metaflow import FlowSpec, Parameter, current, step


class BranchFlow(FlowSpec):
    count = Parameter("count", default=3, help="How many items")

    @step
    def start(self):
        print("start of", current.pathspec)
        self.items = list(range(self.count))
        self.shared = "same"
        self.next(self.each, foreach="items")

    @step
    def each(self):
        self.square = self.input * self.input
        print("each", self.index, self.square)
        self.next(self.join)

    @step
    def join(self, inputs):
        self.total = sum(i.square for i in inputs)
        self.merge_artifacts(inputs, exclude=["square"])
        self.next(self.split)

    @step
    def split(self):
        self.next(self.a, self.b)

    @step
    def a(self):
        self.side = "a"
        self.next(self.rejoin)

    @step
    def b(self):
        self.side = "b"
        self.next(self.rejoin)

    @step
    def rejoin(self, inputs):
        self.sides = sorted(inputs.a.side + inputs.b.side)
        self.merge_artifacts(inputs, exclude=["side"])
        self.next(self.end)

    @step
    def end(self):
        print("total", self.total, "sides", self.sides, "shared", self.shared)


if __name__ == "__main__":
    BranchFlow()
