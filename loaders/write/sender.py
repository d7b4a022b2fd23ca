"""Batches sent on one background thread while the caller makes the next ones.

Loading has two halves that can run at once on two cores: Python making rows
(and the client encoding them), and the database applying them. Sent one
after the other they add up; here one thread sends the batches, in the order
they were given, while the caller goes on making rows. The caller bounds
memory with :meth:`drain` (the writer keeps at most two parts of a load
alive: the one being written and the one being made).

The first error a batch meets is raised to the caller (its own type: a
:class:`~citygraph.core.errors.QueryError` stays one), and nothing queued after it is
sent.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from citygraph.store import Store
from citygraph.store.base import empty_counters

log = logging.getLogger(__name__)


class Sender:
    """Send ``UNWIND $rows`` batches in order on one thread; :meth:`close` waits and returns the counters."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pending: deque[tuple[Future, int, Callable[[int], None] | None]] = deque()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citygraph-writer")
        self._failed = threading.Event()
        self.counters = empty_counters()

    def _write(self, statement: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, int] | None:
        if self._failed.is_set():  # an earlier batch failed: send nothing after it
            return None
        try:
            started = time.monotonic()
            counters = self._store.write(statement, {"rows": rows})[1]
            log.debug("batch of %d rows: %.3f s (%s…)", len(rows), time.monotonic() - started, statement[:60])
            return counters
        except BaseException:
            self._failed.set()
            raise

    def send(
        self, statement: str, rows: Sequence[Mapping[str, Any]], done: Callable[[int], None] | None = None
    ) -> None:
        """Queue one batch. ``done(len(rows))`` is called on the caller's thread once it is written."""
        future = self._pool.submit(self._write, statement, rows)
        self._pending.append((future, len(rows), done))

    def _collect(self) -> None:
        future, n, done = self._pending.popleft()
        counters = future.result()  # the batch's own error, raised here
        if counters is None:
            return
        for key, value in counters.items():
            self.counters[key] = self.counters.get(key, 0) + value
        if done:
            done(n)

    @property
    def pending(self) -> int:
        """Batches queued and not yet collected."""
        return len(self._pending)

    def drain(self, keep: int = 0) -> None:
        """Wait until at most the last ``keep`` batches queued are still unwritten."""
        while len(self._pending) > keep:
            self._collect()

    def close(self) -> dict[str, int]:
        """Wait for every batch; the counters of all of them."""
        try:
            self.drain()
        finally:
            self._abandon()
        return self.counters

    def _abandon(self) -> None:
        for future, _, _ in self._pending:
            future.cancel()
        self._pending.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:  # the caller failed: send nothing more, wait for the batch in flight
            self._abandon()
