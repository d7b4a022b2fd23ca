"""Parts made and packed in worker processes, handed back in order.

Making a part's rows, folding them and packing every value is most of a bulk
build's Python work, and no part depends on another, so with more than one
core it runs in workers while the loading process numbers the nodes and
sends the commands. Each worker is a new Python running :func:`serve`,
started afresh rather than forked (a load may run inside a program with
threads, a progress bar's for one) and without importing the caller's main
module again (a user's script need not guard itself for multiprocessing).

A worker is given the plan's context once, then recipes (a part's items,
still packed), and answers each with the packed part or the error it met,
which the loading process raises with the worker's traceback as its cause.
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
from collections.abc import Iterable, Iterator
from contextlib import suppress
from typing import IO, Any

from citygraph.errors import ResourceExhausted
from citygraph.loaders.bulkparts import PackedPart, pack_part
from citygraph.loaders.plan import PartContext, Recipe

log = logging.getLogger(__name__)

_LENGTH = struct.Struct("=Q")
#: Recipes queued for each worker beyond the one it is making.
AHEAD = 1


def default_workers() -> int:
    """Processes that make parts: one per core this process may use (one core: none, parts made here)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


def _send(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
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


class _Worker:
    """One worker process and the thread that feeds its stdin."""

    def __init__(self, context: PartContext) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", _MAIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.inbox: queue.Queue[Any] = queue.Queue()
        self.feeder = threading.Thread(target=self._feed, name="citygraph-worker-feed", daemon=True)
        self.feeder.start()
        self.inbox.put(context)

    def _feed(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        with suppress(OSError):  # the worker has gone: reading its answer says so
            try:
                while (message := self.inbox.get()) is not None:
                    _send(stdin, message)
            finally:
                stdin.close()

    def answer(self) -> PackedPart:
        assert self.process.stdout is not None
        try:
            kind, value = _receive(self.process.stdout)
        except EOFError:
            code = self.process.wait()
            raise ResourceExhausted(f"a process making the bulk build's parts ended unexpectedly (exit code "
                                    f"{code}; out of memory?): nothing was kept") from None
        if kind == "part":
            return value
        error, text = value
        raise error from WorkerTraceback(text)

    def stop(self, *, kill: bool = False) -> None:
        self.inbox.put(None)
        if kill:
            self.process.kill()
        self.feeder.join()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.process.wait()


def made_in_workers(context: PartContext, recipes: Iterable[Recipe], count: int) -> Iterator[PackedPart]:
    """The recipes' parts, packed by ``count`` workers, in the recipes' order."""
    workers = [_Worker(context) for _ in range(count)]
    turns: deque[_Worker] = deque()  # whose answer comes next
    done = False
    try:
        for i, recipe in enumerate(recipes):
            worker = workers[i % count]
            worker.inbox.put(recipe)
            turns.append(worker)
            if len(turns) > count * (1 + AHEAD):
                yield turns.popleft().answer()
        while turns:
            yield turns.popleft().answer()
        done = True
    finally:
        for worker in workers:
            worker.stop(kill=not done)


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """A worker's life: the context, then one packed part (or the error met) for each recipe, until stdin
    closes. Ctrl-C is the loading process's to handle; no cyclic collection (see gcpause)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()
    context: PartContext = _receive(stdin)
    emitted: set[str] = set()  # documents whose Source node this worker stated (the builder drops repeats)
    while True:
        try:
            recipe = _receive(stdin)
        except EOFError:
            return
        try:
            answer: tuple[str, Any] = ("part", pack_part(context.make(recipe, emitted)))
        except Exception as e:
            answer = ("error", (_portable(e), traceback.format_exc()))
        _send(stdout, answer)


def _portable(error: Exception) -> Exception:
    """``error`` if it survives pickling (a CitygraphError keeps its class and message), else a RuntimeError
    saying what it was."""
    try:
        return pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


#: A worker's program (``-c``: its module is imported as a module, once).
_MAIN = f"import sys; from {__name__} import serve; serve(sys.stdin.buffer, sys.stdout.buffer)"
