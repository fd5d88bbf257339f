"""Steps that fail, hang, print slowly or are killed: the executor's failure paths."""
import os
import sys
import time

from metaflow import FlowSpec, catch, current, step, timeout


def helper(value):
    return 10 / value


class TroubleFlow(FlowSpec):
    @step
    def start(self):
        self.zero = 0
        self.next(self.end)

    @step
    def boom(self):
        self.before = "kept"
        helper(self.zero)
        self.next(self.end)

    @timeout(seconds=1)
    @step
    def slow(self):
        print("sleeping", flush=True)
        time.sleep(30)
        self.next(self.end)

    @step
    def hang(self):
        print("hanging pid", os.getpid(), flush=True)
        time.sleep(60)
        self.next(self.end)

    @step
    def chatty(self):
        print("first line", flush=True)
        sys.stderr.write("to stderr\n")
        time.sleep(0.8)
        print("second line")
        self.next(self.end)

    @step
    def prompt(self):
        print("printed at", time.time(), flush=True)
        print("50%", end="", flush=True)
        time.sleep(0.6)
        print(" then 100%")
        self.next(self.end)

    @catch(var="problem")
    @step
    def caught(self):
        helper(self.zero)
        self.next(self.end)

    @step
    def wrong_next(self):
        self.next(self.start)

    @step
    def end(self):
        print("end of", current.pathspec)


if __name__ == "__main__":
    TroubleFlow()
