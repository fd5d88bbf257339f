"""Refine an estimate until it is good enough: a switch whose case loops back to its own step.

    flowlens run examples/switch_loop/flow.py --target 2.0
"""
from metaflow import FlowSpec, Parameter, step


class SwitchLoopFlow(FlowSpec):
    """Newton's method for a square root, one task per round, stopping when close enough."""

    target = Parameter("target", type=float, default=2.0, help="the number whose square root we want")
    tolerance = Parameter("tolerance", type=float, default=1e-6, help="stop when the estimate squared is this close")

    @step
    def start(self):
        """Make a first guess."""
        self.estimate = max(self.target, 1.0)
        self.rounds = 0
        self.next(self.refine)

    @step
    def refine(self):
        """One Newton step; loop back here until the estimate is close enough."""
        self.estimate = (self.estimate + self.target / self.estimate) / 2
        self.rounds += 1
        close = abs(self.estimate * self.estimate - self.target) < self.tolerance
        self.decision = "done" if close or self.rounds >= 20 else "again"
        print("round %d: estimate %.10f" % (self.rounds, self.estimate))
        self.next({"again": self.refine, "done": self.report}, condition="decision")

    @step
    def report(self):
        """Say how it went."""
        print("sqrt(%s) ~ %.10f after %d rounds" % (self.target, self.estimate, self.rounds))
        self.next(self.end)

    @step
    def end(self):
        """Done."""


if __name__ == "__main__":
    SwitchLoopFlow()
