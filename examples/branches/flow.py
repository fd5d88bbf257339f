"""Fit two models side by side and keep the better one.

    flowlens run examples/branches/flow.py
"""
from metaflow import FlowSpec, step


class BranchesFlow(FlowSpec):
    """A static split: two branches run at the same time and meet in a join."""

    @step
    def start(self):
        """Load a (tiny, made-up) dataset that both branches share."""
        self.dataset = "penguins"
        self.rows = [(1.0, 2.1), (2.0, 3.9), (3.0, 6.2), (4.0, 7.8)]
        self.next(self.fit_mean, self.fit_line)

    @step
    def fit_mean(self):
        """Predict the mean everywhere."""
        mean = sum(y for _, y in self.rows) / len(self.rows)
        self.model = "mean"
        self.error = sum((y - mean) ** 2 for _, y in self.rows)
        self.next(self.choose)

    @step
    def fit_line(self):
        """Least squares through the origin."""
        slope = sum(x * y for x, y in self.rows) / sum(x * x for x, _ in self.rows)
        self.model = "line (slope %.2f)" % slope
        self.error = sum((y - slope * x) ** 2 for x, y in self.rows)
        self.next(self.choose)

    @step
    def choose(self, inputs):
        """Keep the branch with the smaller error; shared artifacts come through merge_artifacts."""
        best = min(inputs, key=lambda i: i.error)
        self.best_model = best.model
        self.best_error = best.error
        self.errors = {"mean": inputs.fit_mean.error, "line": inputs.fit_line.error}
        self.merge_artifacts(inputs, exclude=["model", "error"])
        self.next(self.end)

    @step
    def end(self):
        """Report."""
        print("%s: best model is %s (squared error %.3f)" % (self.dataset, self.best_model, self.best_error))


if __name__ == "__main__":
    BranchesFlow()
