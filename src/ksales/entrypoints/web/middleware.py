"""Pure ASGI middleware: request ids and security headers on every response, and the login gate."""

from __future__ import annotations

import re
import uuid
from http.cookies import SimpleCookie
from urllib.parse import quote

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ksales.entrypoints.web.auth import NEXT_COOKIE, SESSION_COOKIE, Auth

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
_PUBLIC_PATHS = frozenset(
    {"/login", "/logout", "/auth/telegram/callback", "/api/health", "/api/openapi.json", "/favicon.ico"}
)


def request_id_of(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            candidate: str = value.decode("latin-1")
            if _SANE_REQUEST_ID.match(candidate):
                return candidate
            break
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """`X-Request-ID` (echoed when sane, else generated) and security headers on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        csp = _LOGIN_CSP if scope["path"] == "/login" else _CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Content-Security-Policy", csp)
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


class LoginGateMiddleware:
    """With login enabled: pages without a valid session go to /login, the API answers 401."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        auth: Auth | None = scope.get("state", {}).get("auth")
        if scope["type"] != "http" or auth is None or is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        user_id = auth.session_user(_cookie(scope, SESSION_COOKIE))
        if user_id is not None:
            scope["state"]["user_id"] = user_id
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path == "/api" or path.startswith("/api/"):
            response: JSONResponse | RedirectResponse = JSONResponse(
                {"error": "unauthorized", "message": "log in at /login first"}, status_code=401
            )
        else:
            response = RedirectResponse("/login", status_code=303)
            query = scope.get("query_string", b"").decode("latin-1")
            target = quote(path, safe="/") + (f"?{query}" if query else "")
            response.set_cookie(
                NEXT_COOKIE, target, max_age=600, httponly=True, samesite="lax", secure=auth.secure_cookies
            )
        await response(scope, receive, send)
