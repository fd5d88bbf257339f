"""The smallest useful flow: three steps, one artifact passed along.

    flowlens run examples/hello/flow.py
"""
from metaflow import FlowSpec, Parameter, step


class HelloFlow(FlowSpec):
    """Says hello, then says it louder."""

    name_to_greet = Parameter("greet", default="world", help="who to greet")

    @step
    def start(self):
        """Build a greeting."""
        self.message = "hello, %s" % self.name_to_greet
        print(self.message)
        self.next(self.shout)

    @step
    def shout(self):
        """Make it louder."""
        self.loud = self.message.upper() + "!"
        print(self.loud)
        self.next(self.end)

    @step
    def end(self):
        """Done."""
        print("finished with %r" % self.loud)


if __name__ == "__main__":
    HelloFlow()
