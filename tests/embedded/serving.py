"""A real ``citygraph serve`` in a subprocess, for the workbench tests (HTTP and browser)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.conftest import ROOT


@dataclass
class Served:
    url: str  # the opening URL, token included
    process: subprocess.Popen
    errors: list[str] = field(default_factory=list)  # stderr lines so far

    def said(self, text: str, timeout: float = 10) -> bool:
        """Whether a stderr line holds ``text`` within ``timeout`` seconds: stderr is read by a thread of its own,
        so a line written before the URL may still be on its way when the URL arrives."""
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.errors):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    @property
    def base(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def token(self) -> str:
        return parse_qs(urlsplit(self.url).query)["token"][0]

    @property
    def port(self) -> int:
        return int(urlsplit(self.url).port or 0)


@contextmanager
def own_texts(folder: Path) -> Iterator[None]:
    """``CITYGRAPH_TEXTS`` set to ``folder`` while the block runs (for the commands it starts), then as before."""
    before = os.environ.get("CITYGRAPH_TEXTS")
    os.environ["CITYGRAPH_TEXTS"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("CITYGRAPH_TEXTS", None)
        else:
            os.environ["CITYGRAPH_TEXTS"] = before


def _pump(stream, sink: list[str], first: queue.Queue | None = None) -> None:
    for line in stream:
        if first is not None:
            first.put(line)
            first = None
        sink.append(line.rstrip("\n"))


@contextmanager
def serving(db: Path, *args: str, verbose: bool = False, env: dict[str, str] | None = None,
            timeout: float = 60) -> Iterator[Served]:
    """``citygraph --uri DB [-v] serve --port 0 ARGS…``, until the block ends; fails with its stderr if it does
    not print its URL."""
    command = [sys.executable, "-m", "citygraph", "--uri", str(db), *(["-v"] if verbose else []),
               "serve", "--port", "0", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                               env=env or dict(os.environ))
    first: queue.Queue[str] = queue.Queue()
    out: list[str] = []
    served = Served("", process)
    threading.Thread(target=_pump, args=(process.stdout, out, first), daemon=True).start()
    threading.Thread(target=_pump, args=(process.stderr, served.errors), daemon=True).start()
    try:
        try:
            served.url = first.get(timeout=timeout).strip()
        except queue.Empty:
            raise AssertionError(f"serve printed no URL in {timeout} s: {served.errors}") from None
        if not served.url.startswith("http://"):
            raise AssertionError(f"serve did not start: {served.url} {served.errors}")
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
