// Near misses of the graph checks (FL0xx): valid flows as close as possible to what each check
// reports. Read by negatives.test.ts.
import { linear, wrap } from "./nearMissFlows";

export const graphNearMisses: [code: string, what: string, text: string][] = [
  ["FL000", "valid syntax with odd but legal constructs", linear("", "        x = (1,\n             2)\n        self.next(self.end)")],
  ["FL001", "a step named like a reserved word with a suffix", wrap(`
    @step
    def start(self):
        self.next(self.name_step)

    @step
    def name_step(self):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL002", "annotated start and end instead of literal names", wrap(`
    @step(start=True)
    def begin(self):
        self.next(self.finish)

    @step(end=True)
    def finish(self):
        pass
`)],
  ["FL003", "an annotated start while no step is named start", wrap(`
    @step(start=True)
    def begin(self):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL004", "a switch that loops on its own step, not on start", wrap(`
    @step
    def start(self):
        self.next(self.loop)

    @step
    def loop(self):
        self.again = "no"
        self.next({"yes": self.loop, "no": self.end}, condition="again")

    @step
    def end(self):
        pass
`)],
  ["FL005", "an end step that only prints", linear()],
  ["FL006", "digits and underscores in step names", wrap(`
    @step
    def start(self):
        self.next(self.step_2b)

    @step
    def step_2b(self):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL007", "a join taking self and inputs", wrap(`
    @step
    def start(self):
        self.next(self.a, self.b)

    @step
    def a(self):
        self.next(self.join)

    @step
    def b(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL008", "if/else before a final self.next", linear("", "        if True:\n            x = 1\n        else:\n            x = 2\n        self.next(self.end)  # the last statement")],
  ["FL009", "a transition written over several lines", linear("", "        self.next(\n            self.end,\n        )")],
  ["FL010", "a target defined below", linear()],
  ["FL011", "a switch's self-edge", wrap(`
    @step
    def start(self):
        self.n = 0
        self.next(self.count)

    @step
    def count(self):
        self.n += 1
        self.more = "yes" if self.n < 3 else "no"
        self.next({"yes": self.count, "no": self.end}, condition="more")

    @step
    def end(self):
        pass
`)],
  ["FL012", "a helper method (not a step) nothing transitions to", linear("    def helper(self):\n        return 1\n")],
  ["FL013", "a foreach nested in a static split, each joined", wrap(`
    @step
    def start(self):
        self.next(self.a, self.b)

    @step
    def a(self):
        self.xs = [1, 2]
        self.next(self.each, foreach="xs")

    @step
    def each(self):
        self.next(self.join_each)

    @step
    def join_each(self, inputs):
        self.next(self.join)

    @step
    def b(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL014", "a switch with two cases and a condition", linear("", "        self.c = 1\n        self.next({1: self.end, 2: self.end}, condition=\"c\")")],
  ["FL015", "a foreach with one step before its join", wrap(`
    @step
    def start(self):
        self.xs = [1]
        self.next(self.each, foreach="xs")

    @step
    def each(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL016", "num_parallel into a @parallel step", wrap(`
    @step
    def start(self):
        self.next(self.train, num_parallel=2)

    @parallel
    @step
    def train(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL019", "switch cases that go through a step before the join", wrap(`
    @step
    def start(self):
        self.next(self.a, self.b)

    @step
    def a(self):
        self.next(self.join)

    @step
    def b(self):
        self.mode = "x"
        self.next({"x": self.bx, "y": self.by}, condition="mode")

    @step
    def bx(self):
        self.next(self.b_done)

    @step
    def by(self):
        self.next(self.b_done)

    @step
    def b_done(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
];
