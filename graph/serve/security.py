"""The workbench's guard, in front of every request: as Jupyter guards a notebook server.

- **Host**: the ``Host`` header must name this server (``127.0.0.1``,
  ``localhost``, ``[::1]`` or the address it was bound to, with its port), so
  a web page whose name was re-pointed at 127.0.0.1 (DNS rebinding) is refused.
- **Token**: a random token in the opening URL (``/?token=…``) sets a cookie
  (HttpOnly, SameSite=Strict) and the page is sent again without it; every
  later request carries the cookie, or ``Authorization: token …``.
- **Writes**: a request that writes (the review's save and load) is refused
  unless the server was started to write, and then needs the CSRF token the
  page holds, in ``X-CSRF-Token``; every other POST needs it too.
- **Headers**: a Content-Security-Policy that allows nothing from another
  origin, no sniffing, no referrer, no framing by other sites.

Each refusal is a 403 with one line saying why; each request is logged (at
``-v``) with its method, path, status and time, never the token.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

log = logging.getLogger("citygraph.serve")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Scripts from this origin only (and the map page's own inline scripts, by nonce); styles may be inline, as
#: CodeMirror and deck.gl set them from script; nothing from another origin, anywhere.
CSP = ("default-src 'none'; script-src 'self'{nonce}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self' data:; worker-src 'self' blob:; frame-src 'self'; "
       "frame-ancestors 'self'; base-uri 'none'; form-action 'self'")
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass
class Guard:
    """The settings the guard checks against."""

    port: int
    write: bool = False
    host: str = "127.0.0.1"
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    #: Paths that write (the review's save and load): refused unless ``write``.
    writes: tuple[str, ...] = ()

    @property
    def cookie(self) -> str:
        return f"citygraph-token-{self.port}"

    @property
    def hosts(self) -> set[str]:
        names = {*LOCAL_NAMES, self.host if ":" not in self.host else f"[{self.host}]"}
        return {f"{n}:{self.port}" for n in names} | ({*names} if self.port == 80 else set())

    def opening_url(self) -> str:
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{shown if ':' not in shown else f'[{shown}]'}:{self.port}/?{urlencode({'token': self.token})}"

    def has_token(self, headers: dict[str, str], query: dict[str, list[str]]) -> bool:
        given = [*query.get("token", []), *_cookies(headers.get("cookie", "")).get(self.cookie, [])]
        auth = headers.get("authorization", "")
        if auth.lower().startswith("token "):
            given.append(auth[6:].strip())
        return any(hmac.compare_digest(g.encode(), self.token.encode()) for g in given)


def _cookies(header: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep:
            out.setdefault(name, []).append(value)
    return out


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


class Guarded:
    """ASGI middleware: the checks above, then the app; security headers on every answer."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app, self.guard = app, guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: list[int] = [0]
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["nonce"] = nonce

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", []), *self._security_headers(nonce)]
            await send(message)

        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        try:
            refusal = self.refusal(scope, query)
            if refusal is None:
                await self._pass(scope, query, receive, sending)
            else:
                await _answer(sending, 403, refusal)
        finally:
            log.info("%s %s %d %.0f ms", scope["method"], scope["path"], status[0],
                     1000 * (time.perf_counter() - started))

    def refusal(self, scope: Scope, query: dict[str, list[str]]) -> str | None:
        """Why a request is refused, or None."""
        headers = _headers(scope)
        host = headers.get("host", "")
        if host.lower() not in self.guard.hosts:
            return f"refused: the Host header {host!r} is not this server (a page on another name cannot use it)"
        if not self.guard.has_token(headers, query):
            return "refused: no valid token; open the URL the workbench printed when it started (it holds the token)"
        if scope["method"] in SAFE_METHODS:
            return None
        if scope["path"] in self.guard.writes and not self.guard.write:
            return "refused: this workbench is read-only (started without `write`): it may not save or load"
        given = headers.get("x-csrf-token", "")
        if not hmac.compare_digest(given.encode(), self.guard.csrf.encode()):
            return "refused: no valid CSRF token (X-CSRF-Token): reload the page"
        return None

    async def _pass(self, scope: Scope, query: dict[str, list[str]], receive: Receive, send: Send) -> None:
        if "token" in query and scope["method"] == "GET":  # the opening URL: the token becomes a cookie
            rest = {k: v for k, v in query.items() if k != "token"}
            location = scope["path"] + (f"?{urlencode(rest, doseq=True)}" if rest else "")
            cookie = f"{self.guard.cookie}={self.guard.token}; Path=/; HttpOnly; SameSite=Strict"
            await send({"type": "http.response.start", "status": 303,
                        "headers": [(b"location", location.encode()), (b"set-cookie", cookie.encode()),
                                    (b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _security_headers(nonce: str) -> list[tuple[bytes, bytes]]:
        return [(b"content-security-policy", CSP.format(nonce=f" 'nonce-{nonce}'").encode()),
                (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                (b"x-frame-options", b"SAMEORIGIN"), (b"cache-control", b"no-store")]


async def _answer(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
