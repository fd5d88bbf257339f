// Near misses of the decorator, parameter and artifact checks (FL1xx, FL2xx; and FL013 and FL109
// cases that need decorators): valid flows as close as possible to what each check reports. Read
// by negatives.test.ts.
import { linear, wrap } from "./nearMissFlows";

export const stepNearMisses: [code: string, what: string, text: string][] = [
  ["FL101", "step decorators above @step", linear("", "        self.next(self.end)").replace("    @step\n    def start", "    @retry\n    @timeout(minutes=5)\n    @step\n    def start")],
  ["FL102", "decorators imported from the user's own module", `from metaflow import FlowSpec, step\nfrom mytools import traced\n\nclass F(FlowSpec):\n    @traced\n    @step\n    def start(self):\n        self.next(self.end)\n\n    @step\n    def end(self):\n        pass\n\nif __name__ == "__main__":\n    F()\n`],
  ["FL103", "parameters with distinct, unreserved names", linear('    tag_name = Parameter("tag_name", default="x")\n    tag2 = Parameter("tag2", default="y")\n')],
  ["FL104", "@catch on a linear step", linear("", "        self.next(self.end)").replace("    @step\n    def start", "    @catch(var=\"err\")\n    @step\n    def start")],
  ["FL105", "@retry(times=4)", linear("", "        self.next(self.end)").replace("    @step\n    def start", "    @retry(times=4)\n    @step\n    def start")],
  ["FL106", "@batch with a 60 s timeout and an absolute tmpfs_path", linear("", "        self.next(self.end)").replace("    @step\n    def start", "    @timeout(seconds=60)\n    @batch(tmpfs_path=\"/scratch\")\n    @step\n    def start")],
  ["FL107", "merge_artifacts in a join, literal foreach", wrap(`
    @step
    def start(self):
        self.xs = [1]
        self.next(self.each, foreach="xs")

    @step
    def each(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.merge_artifacts(inputs)
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL108", "numeric strings and ints where numbers are expected", linear("", "        self.next(self.end)").replace("    @step\n    def start", "    @resources(memory=\"16000\", cpu=2)\n    @retry(times=2, minutes_between_retries=0.5)\n    @step\n    def start")],
  ["FL109", "imports Flowlens's metaflow package gives (client API, submodules, card reading), and a refused name only mentioned in a string", `"""from metaflow import Deployer"""\nfrom metaflow import Flow, namespace, current, Config, config_expr, user_step_decorator, exception\nfrom metaflow.cards import get_cards\nfrom metaflow.plugins.cards.exception import CardNotPresentException\n` + linear("", "        from metaflow import Run, get_namespace\n        print('from metaflow import tl_value')\n        self.next(self.end)")],
  ["FL013", "a switch inside a foreach whose cases go straight into the foreach's join", wrap(`
    @step
    def start(self):
        self.items = [1, 2]
        self.next(self.pick, foreach="items")

    @step
    def pick(self):
        self.kind = "even" if self.input % 2 == 0 else "odd"
        self.next({"even": self.even, "odd": self.odd}, condition="kind")

    @step
    def even(self):
        self.next(self.join)

    @step
    def odd(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL109", "only decorators Flowlens runs", linear("", "        self.next(self.end)").replace("    @step\n    def start", "    @retry\n    @batch(cpu=1)\n    @step\n    def start")],
  ["FL201", "an artifact set on every path, and a parameter", wrap(`
    alpha = Parameter("alpha", default=1)

    @step
    def start(self):
        self.mode = "a"
        self.next({"a": self.a, "b": self.b}, condition="mode")

    @step
    def a(self):
        self.value = 1
        self.next(self.done)

    @step
    def b(self):
        self.value = 2
        self.next(self.done)

    @step
    def done(self):
        print(self.value, self.alpha, self.mode)
        self.next(self.end)

    @step
    def end(self):
        print(self.value)
`)],
  ["FL202", "a foreach over an artifact set two steps earlier", wrap(`
    @step
    def start(self):
        self.xs = [1, 2]
        self.next(self.middle)

    @step
    def middle(self):
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
  ["FL203", "a join reading after merge_artifacts, and through inputs", wrap(`
    @step
    def start(self):
        self.next(self.a, self.b)

    @step
    def a(self):
        self.score = 1
        self.next(self.join)

    @step
    def b(self):
        self.score = 1
        self.next(self.join)

    @step
    def join(self, inputs):
        print(inputs.a.score, inputs[0].score)
        self.merge_artifacts(inputs)
        print(self.score)
        self.next(self.end)

    @step
    def end(self):
        print(self.score)
`)],
];
