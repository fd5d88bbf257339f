"""What @retry and @catch do when a step fails.

    flowlens run examples/retry_catch/flow.py
"""
from metaflow import FlowSpec, catch, current, retry, step


class RetryCatchFlow(FlowSpec):
    """A flaky step that succeeds on its second attempt, and a failing step whose error is kept."""

    @step
    def start(self):
        """Nothing to prepare."""
        self.next(self.flaky)

    @retry(times=2)
    @step
    def flaky(self):
        """Fails on the first attempt, as a busy service would; @retry runs it again."""
        if current.retry_count == 0:
            raise ConnectionError("the service is busy (simulated); @retry will try again")
        self.fetched_on_attempt = current.retry_count
        self.next(self.risky)

    @catch(var="risky_error")
    @step
    def risky(self):
        """Always fails; @catch stores the exception in `risky_error` and the run goes on."""
        self.ratio = 1 / 0
        self.next(self.end)

    @step
    def end(self):
        """Report what happened."""
        print("flaky succeeded on attempt %d" % (self.fetched_on_attempt + 1))
        print("risky failed, and @catch kept it: %r" % (getattr(self, "risky_error", None),))


if __name__ == "__main__":
    RetryCatchFlow()
