"""Try a few learning rates in parallel and keep the best one.

    flowlens run examples/params_foreach/flow.py --rates "[0.05, 0.2, 0.8]" --epochs 5
"""
import math

from metaflow import FlowSpec, JSONType, Parameter, step


class ParamsForeachFlow(FlowSpec):
    """Scores each learning rate on a toy problem, one task per rate, then picks the best."""

    rates = Parameter("rates", type=JSONType, default="[0.01, 0.1, 0.5]", help="learning rates to try, as a JSON list")
    epochs = Parameter("epochs", type=int, default=3, help="training epochs per rate")
    label = Parameter("label", default="demo", help="a name for this experiment")

    @step
    def start(self):
        """Check the inputs and fan out over the rates."""
        if not self.rates:
            raise ValueError("--rates must name at least one learning rate")
        print("experiment %s: %d rates, %d epochs each" % (self.label, len(self.rates), self.epochs))
        self.next(self.train, foreach="rates")

    @step
    def train(self):
        """Gradient descent on f(w) = (w - 3)^2 with this task's rate."""
        self.rate = float(self.input)
        w = 0.0
        for _ in range(self.epochs):
            w -= self.rate * 2 * (w - 3)
        self.loss = (w - 3) ** 2
        print("rate %.3f -> loss %.5f" % (self.rate, self.loss))
        self.next(self.pick)

    @step
    def pick(self, inputs):
        """Keep the rate with the lowest loss."""
        best = min(inputs, key=lambda i: i.loss if math.isfinite(i.loss) else float("inf"))
        self.best_rate = best.rate
        self.best_loss = best.loss
        self.losses = {i.rate: i.loss for i in inputs}
        self.next(self.end)

    @step
    def end(self):
        """Report the winner."""
        print("best rate for %s: %s (loss %.5f)" % (self.label, self.best_rate, self.best_loss))


if __name__ == "__main__":
    ParamsForeachFlow()
