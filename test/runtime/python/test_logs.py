"""Task output to log lines: a partial line sent after a quiet spell is completed, not followed by a blank line."""

import time

from flowlens._logs import StreamCapture


def capture():
    sent = []
    return StreamCapture("stdout", lambda stream, line, ts: sent.append(line)), sent


def lines_of(cap):
    return [entry.split("] ", 1)[1].rstrip("\n") for entry in cap.kept]


def test_a_newline_arriving_after_the_partial_flush_adds_no_blank_line():
    # `print("loss 0.1")` unbuffered: the text, then (late, under load) its newline.
    cap, sent = capture()
    cap.feed(b"loss 0.1")
    cap.flush_stale(time.time() + 1)
    cap.feed(b"\nnext line\n")
    cap.close()
    assert lines_of(cap) == ["loss 0.1", "next line"]
    assert sent == ["loss 0.1", "next line"]


def test_the_rest_of_a_flushed_partial_line_joins_it_in_the_log_file():
    cap, sent = capture()
    cap.feed(b"progress: 10%")
    cap.flush_stale(time.time() + 1)
    cap.feed(b" 20%")
    cap.flush_stale(time.time() + 2)
    cap.feed(b" done\n")
    cap.feed(b"after\n")
    assert lines_of(cap) == ["progress: 10% 20% done", "after"]
    assert sent == ["progress: 10%", " 20%", " done", "after"], "the live view gets each piece once"


def test_a_quiet_partial_line_at_the_end_is_kept():
    cap, sent = capture()
    cap.feed(b"no newline at the end")
    cap.flush_stale(time.time() + 1)
    cap.close()
    assert lines_of(cap) == ["no newline at the end"] and sent == ["no newline at the end"]


def test_a_line_the_worker_adds_never_joins_the_tasks_partial_line():
    cap, sent = capture()
    cap.feed(b"Crash and burn")
    cap.flush_stale(time.time() + 1)
    cap.add_line("Task failed with a segmentation fault")
    assert lines_of(cap) == ["Crash and burn", "Task failed with a segmentation fault"]


def test_a_line_kept_for_the_log_file_only_is_not_sent_live():
    cap, sent = capture()
    cap.add_line("The task process was killed by SIGKILL", live=False)
    assert lines_of(cap) == ["The task process was killed by SIGKILL"] and sent == []
