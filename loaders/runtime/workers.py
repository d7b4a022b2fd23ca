"""Work done in worker processes, its results handed back in order.

A load's heavy Python work comes in pieces that do not depend on each other
(a part of a bulk build to make and pack, a batch of a large table's rows to
check), so with more than one core it runs in workers while the loading
process does what must be done in order. Each worker is a new Python running
:func:`serve`, started afresh rather than forked (a load may run inside a
program with threads, a progress bar's for one) and without importing the
caller's main module again (a user's script need not guard itself for
multiprocessing).

A worker is given the work once (a callable object, pickled with what it
needs: a plan's context, a table's section), then inputs, and answers each
with the work's result or the error it met, which the loading process raises
with the worker's traceback as its cause.
Frames on its stdin and stdout: an 8-byte length, then a pickle (the two
ends are the same program). Recipes go to the workers in turn and their
parts are read back in the same turn, so they come back in writing order; a
thread per worker feeds its stdin, so neither end waits on a full pipe.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterable
from contextlib import suppress
from typing import IO, Any

from citygraph.core.errors import ResourceExhausted

log = logging.getLogger(__name__)

_LENGTH = struct.Struct("=Q")
#: Inputs queued for each worker beyond the one it is working on.
AHEAD = 1
#: At most this many workers: each holds the work's context (a 10^6-link plan's id table is some 200 MB), and
#: beyond a few the loading process, which takes every result in turn, is what bounds the load.
MAX_WORKERS = 4


def default_workers() -> int:
    """Workers for a load: one per core this process may use, up to :data:`MAX_WORKERS` (one core, or no
    Python to start: none, the work is done in the loading process)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, MAX_WORKERS) if cores > 1 and sys.executable else 0


class Pickled(bytes):
    """A message pickled already: the work, pickled once however many workers are sent it (a large plan's
    context takes seconds to pickle)."""


def _send(stream: IO[bytes], message: Any) -> None:
    data = message if isinstance(message, Pickled) else pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    """The next message, or EOFError where the other end has gone."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError
    size = _LENGTH.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


class WorkerTraceback(Exception):
    """Where in a worker an error was raised: the worker's traceback, as text (the cause of the error)."""

    def __str__(self) -> str:
        return f"in a worker process:\n{self.args[0]}"


class _Worker[R]:
    """One worker process and the thread that feeds its stdin."""

    def __init__(self, work: Callable[[Any], R] | Pickled) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", _MAIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.inbox: queue.Queue[Any] = queue.Queue()
        self.feeder = threading.Thread(target=self._feed, name="citygraph-worker-feed", daemon=True)
        self.feeder.start()
        self.inbox.put(work)

    def _feed(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        with suppress(OSError):  # the worker has gone: reading its answer says so
            try:
                while (message := self.inbox.get()) is not None:
                    _send(stdin, message)
            finally:
                stdin.close()

    def end(self, *, kill: bool = False) -> None:
        """Tell the worker there is no more input (or kill it); :meth:`wait` then waits for it."""
        self.inbox.put(None)
        if kill:
            self.process.kill()

    def answer(self) -> R:
        assert self.process.stdout is not None
        try:
            kind, value = _receive(self.process.stdout)
        except EOFError:
            code = self.process.wait()
            how = (f"was killed by signal {-code} (out of memory?)" if code < 0
                   else f"ended with exit code {code} (its own message is above)")
            raise ResourceExhausted(f"a worker process of the load {how}: nothing was kept") from None
        if kind == "done":
            return value
        error, text = value
        raise error from WorkerTraceback(text)

    def wait(self) -> None:
        """Until the worker, told to end, has ended."""
        self.feeder.join()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.process.wait()


def in_workers[I, R](work: Callable[[I], R], inputs: Iterable[I], count: int) -> Generator[R, None, None]:
    """``work(x)`` for each of ``inputs``, done by ``count`` workers, in the inputs' order; closing it early
    stops the workers."""
    pickled = Pickled(pickle.dumps(work, protocol=pickle.HIGHEST_PROTOCOL))
    workers: list[_Worker[R]] = [_Worker(pickled) for _ in range(count)]
    log.debug("%d workers started for %s", count, type(work).__name__)
    turns: deque[_Worker[R]] = deque()  # whose answer comes next
    done = False
    try:
        for i, x in enumerate(inputs):
            worker = workers[i % count]
            worker.inbox.put(x)
            turns.append(worker)
            if len(turns) > count * (1 + AHEAD):
                yield turns.popleft().answer()
        while turns:
            yield turns.popleft().answer()
        done = True
    finally:
        for worker in workers:  # all told first, so that they end together
            worker.end(kill=not done)
        for worker in workers:
            worker.wait()


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """A worker's life: the work, then one answer for each input, until stdin closes or nobody reads the
    answers. Ctrl-C is the loading process's to handle; no cyclic collection (see gcpause)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()
    try:
        work = _receive(stdin)
        while True:
            x = _receive(stdin)
            if not _answer(stdout, work, x):
                return
    except EOFError:
        return  # no more input


def _answer(stdout: IO[bytes], work: Callable[[Any], Any], x: Any) -> bool:
    """Send ``work(x)``, or the error it raised; False where nobody reads the answers any more."""
    try:
        answer: tuple[str, Any] = ("done", work(x))
    except Exception as e:
        answer = ("error", (_portable(e), traceback.format_exc()))
    try:
        _send(stdout, answer)
    except BrokenPipeError:
        return False  # the loading process has gone (killed, or stopped the workers)
    return True


def _portable(error: Exception) -> Exception:
    """``error`` if it survives pickling (a CitygraphError keeps its class and message), else a RuntimeError
    saying what it was."""
    try:
        return pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


def main() -> None:
    """A worker's process: the answers go out on a private copy of stdout, and anything else the work prints
    (a library's print or warning) goes to stderr, so it cannot break a frame."""
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, answers)
    with suppress(OSError):  # every answer is flushed already; a reader that left is not this worker's error
        answers.close()
    sys.stderr.flush()
    os._exit(0)  # nothing left to clean up: freeing the work's objects one by one took up to a second a worker


#: A worker's program (``-c``: its module is imported as a module, once).
_MAIN = f"from {__name__} import main; main()"
