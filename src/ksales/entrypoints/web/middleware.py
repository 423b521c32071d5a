"""Pure ASGI middleware: request ids and security headers on every response, and the login gate."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from http.cookies import SimpleCookie
from urllib.parse import quote

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ksales.entrypoints.web.auth import NEXT_COOKIE, SESSION_COOKIE, Auth
from ksales.services.tokens import TokenService

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
#: The Telegram Login Widget (script + iframe) is the one external resource, and only on /login.
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    # canvas-confetti draws in a Web Worker built from a blob: URL.
    "worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
_LOGIN_CSP = (
    "default-src 'self'; img-src 'self' data: https://t.me https://telegram.org; "
    "style-src 'self' 'unsafe-inline'; script-src 'self' https://telegram.org; "
    "frame-src https://oauth.telegram.org; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_PUBLIC_PATHS = frozenset({"/login", "/logout", "/auth/telegram/callback", "/api/health", "/favicon.ico"})
#: Static files and the icon may be cached; nothing else (figures, pages behind a login) ever is.
_CACHEABLE_PREFIXES = ("/static/", "/favicon.ico")
_HSTS = "max-age=31536000; includeSubDomains"


def request_id_of(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            candidate: str = value.decode("latin-1")
            if _SANE_REQUEST_ID.match(candidate):
                return candidate
            break
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """`X-Request-ID` (echoed when sane, else generated) and security headers on every response.

    Besides the usual ones: `Cache-Control: no-store` on everything but static files, so no shared or browser
    cache keeps a page or a figure; `Strict-Transport-Security` when the dashboard is served over https.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        path: str = scope["path"]
        csp = _LOGIN_CSP if path == "/login" else _CSP
        settings = scope.get("state", {}).get("settings")
        https = settings is not None and settings.secure_cookies

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Content-Security-Policy", csp)
                if not path.startswith(_CACHEABLE_PREFIXES):
                    headers["Cache-Control"] = "no-store"
                if https:
                    headers.setdefault("Strict-Transport-Security", _HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cookie(scope: Scope, name: str) -> str | None:
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                return None
            morsel = jar.get(name)
            return morsel.value if morsel else None
    return None


def is_public(path: str) -> bool:
    return path in _PUBLIC_PATHS or path.startswith("/static/")


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def bearer_of(scope: Scope) -> str | None:
    """The secret of an `Authorization: Bearer …` header; None without one (or with another scheme)."""
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, secret = value.decode("latin-1").strip().partition(" ")
            return secret.strip() if scheme.lower() == "bearer" else None
    return None


def _unauthorized(message: str) -> JSONResponse:
    return JSONResponse({"error": "unauthorized", "message": message}, status_code=401)


class LoginGateMiddleware:
    """API tokens on `/api/*`; with login enabled, pages without a session go to /login, the API answers 401.

    A presented token is checked whether login is enabled or not (an open dashboard needs none, but a tool
    whose token was revoked must hear so). The secret is never logged: nothing here logs a header.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        state = scope.get("state", {})
        path: str = scope["path"]
        secret = bearer_of(scope) if is_api(path) else None
        if secret is not None:
            # Resolved on the first token seen: the users database is opened only when one is used.
            tokens: Callable[[], TokenService] | None = state.get("tokens")
            token = tokens().check(secret) if tokens is not None else None
            if token is None:
                await _unauthorized("unknown or revoked API token")(scope, receive, send)
                return
            state["api_token"] = token.name  # counts as an admin for the cost rules (SPEC §6)
            await self.app(scope, receive, send)
            return
        auth: Auth | None = state.get("auth")
        if auth is None:
            await self.app(scope, receive, send)
            return
        user_id = auth.session_user(_cookie(scope, SESSION_COOKIE))
        if user_id is not None:
            state["user_id"] = user_id
            await self.app(scope, receive, send)
            return
        if is_api(path):
            response: JSONResponse | RedirectResponse = _unauthorized(
                "log in at /login first, or send an API token (Authorization: Bearer …)"
            )
        else:
            response = RedirectResponse("/login", status_code=303)
            query = scope.get("query_string", b"").decode("latin-1")
            target = quote(path, safe="/") + (f"?{query}" if query else "")
            response.set_cookie(
                NEXT_COOKIE, target, max_age=600, httponly=True, samesite="lax", secure=auth.secure_cookies
            )
        await response(scope, receive, send)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an `Accept-Encoding` value allows gzip, q-values included (`gzip;q=0` refuses it)."""
    explicit: float | None = None
    wildcard: float | None = None
    for part in accept_encoding.split(","):
        coding, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
        coding = coding.strip().lower()
        if coding in ("gzip", "x-gzip"):
            explicit = quality if explicit is None else max(explicit, quality)
        elif coding == "*":
            wildcard = quality
    if explicit is not None:
        return explicit > 0
    return wildcard is not None and wildcard > 0


class AcceptEncodingMiddleware:
    """Before Starlette's GZipMiddleware, which only looks for the word "gzip": honour the q-values."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = [(k, v) for k, v in scope.get("headers", []) if k != b"accept-encoding"]
            offered = b", ".join(v for k, v in scope.get("headers", []) if k == b"accept-encoding")
            if offered and accepts_gzip(offered.decode("latin-1")):
                headers.append((b"accept-encoding", b"gzip"))
            scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)
