"""Sales per region and month: a foreach inside a foreach, joined twice.

    flowlens run examples/nested_foreach/flow.py
"""
from metaflow import FlowSpec, step


class NestedForeachFlow(FlowSpec):
    """One task per (region, month); months are summed per region, then regions are collected."""

    @step
    def start(self):
        """The regions to look at."""
        self.regions = ["north", "south", "west"]
        self.next(self.region, foreach="regions")

    @step
    def region(self):
        """One region: fan out again over its months."""
        self.region_name = self.input
        self.months = ["jan", "feb", "mar"]
        self.next(self.month, foreach="months")

    @step
    def month(self):
        """A made-up sales figure for one region and month."""
        self.month_name = self.input
        self.sales = 100 * len(self.region_name) + 10 * self.index
        self.next(self.sum_months)

    @step
    def sum_months(self, inputs):
        """Total per region."""
        self.region_name = inputs[0].region_name
        self.total = sum(i.sales for i in inputs)
        self.next(self.sum_regions)

    @step
    def sum_regions(self, inputs):
        """Collect the regions."""
        self.totals = {i.region_name: i.total for i in inputs}
        self.next(self.end)

    @step
    def end(self):
        """Report."""
        for name, total in sorted(self.totals.items()):
            print("%-6s %d" % (name, total))


if __name__ == "__main__":
    NestedForeachFlow()
