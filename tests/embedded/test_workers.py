"""Worker processes: results in the inputs' order, a worker that cannot run named in one line."""

from __future__ import annotations

import functools
import os
import pickle

import pytest

from citygraph.core.errors import ResourceExhausted
from citygraph.loaders.runtime import workers


def test_results_come_back_in_the_inputs_order():
    words = [chr(ord("a") + i % 26) * (i % 7 + 1) for i in range(53)]
    assert list(workers.in_workers(len, words, 3)) == [len(w) for w in words]


def test_what_the_work_prints_goes_to_stderr_and_leaves_the_answers_whole(capfd):
    """A library's print (or a write to file descriptor 1) in a worker once broke the frames the answers
    travel in (an UnpicklingError); they go to stderr now."""
    assert list(workers.in_workers(print, ["printed by a worker"] * 3, 2)) == [None] * 3
    assert list(workers.in_workers(functools.partial(os.write, 1), [b"written to fd 1\n"] * 3, 2)) == [16] * 3
    err = capfd.readouterr().err
    assert err.count("printed by a worker") == 3 and err.count("written to fd 1") == 3


def test_a_worker_that_cannot_start_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(workers, "_MAIN", "import sys; sys.exit(3)")
    with pytest.raises(ResourceExhausted, match="ended with exit code 3 .its own message is above.: nothing was kept"):
        list(workers.in_workers(len, ["a", "b", "c"], 2))


def test_workers_are_few_and_none_on_one_core(monkeypatch):
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda pid: set(range(64)))
    assert workers.default_workers() == workers.MAX_WORKERS
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda pid: {0})
    assert workers.default_workers() == 0


def test_workers_are_all_told_to_end_before_any_is_waited_for(monkeypatch):
    """Each worker frees what it holds as it ends (up to a second for a large part's context): told together,
    they end together instead of one after the other."""
    calls = []
    for name in ("end", "wait"):
        original = getattr(workers._Worker, name)
        monkeypatch.setattr(workers._Worker, name, functools.partialmethod(
            lambda self, *a, _name=name, _original=original, **k: (calls.append(_name), _original(self, *a, **k))))
    assert list(workers.in_workers(len, ["ab", "c", "def"], 2)) == [2, 1, 3]
    assert calls == ["end", "end", "wait", "wait"]


def test_a_worker_whose_input_ends_exits_cleanly():
    worker = workers._Worker(workers.Pickled(pickle.dumps(len)))
    worker.inbox.put("abcd")
    assert worker.answer() == 4
    worker.end()
    worker.wait()
    assert worker.process.returncode == 0
