"""HTML pages: the dashboard, the login page, the Telegram callback and logout."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from ksales.domain.language import Language, preferred
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web.auth import NEXT_COOKIE, SESSION_COOKIE, SESSION_MAX_AGE, Auth, LoginRefused
from ksales.entrypoints.web.customers import may_see_contacts
from ksales.entrypoints.web.lookups import version
from ksales.ports.language import Catalog, Translator
from ksales.ports.telegram import BotIdentity

log = logging.getLogger(__name__)

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
STATIC_DIR = Path(__file__).parent / "static"
#: The two languages of the header's switch, each by its own name.
LANGUAGE_NAMES = {Language.UK: "Українська", Language.EN: "English"}


def _auth(request: Request) -> Auth | None:
    auth: Auth | None = request.state.auth
    return auth


def page_language(request: Request) -> Language:
    """`?lang=uk|en`, else the browser's first of uk or en (Accept-Language), else KSALES_LANGUAGE."""
    settings: Settings = request.state.settings
    asked = request.query_params.get("lang", "").strip().lower()
    if asked in {language.value for language in Language}:
        return Language(asked)
    return preferred(request.headers.get("accept-language")) or settings.language


def page_translator(request: Request) -> Translator:
    catalog: Catalog = request.state.catalog
    return catalog.translator(page_language(request))


def _page_context(request: Request, t: Translator) -> dict[str, object]:
    """What every page's template uses: its language, `_()` and the version."""
    return {"lang": t.language.value, "_": t.gettext, "version": version()}


async def index(request: Request) -> Response:
    settings: Settings = request.state.settings
    t = page_translator(request)
    context = {
        **_page_context(request, t),
        "currency": settings.currency,
        "login_enabled": _auth(request) is not None,
        "contact_list": may_see_contacts(request),
        "messages": t.dictionary(sorted(STATIC_DIR.glob("*.js"))),
        "languages": [(language.value, name) for language, name in LANGUAGE_NAMES.items()],
    }
    response = templates.TemplateResponse(request, "index.html", context)
    response.headers["Vary"] = "Accept-Language"
    return response


async def bot_username(request: Request) -> str | None:
    """The bot's @username for the widget; None while Telegram cannot be asked."""
    identity: BotIdentity | None = request.state.bot_identity
    return None if identity is None else await identity.username()


async def login(request: Request) -> Response:
    if _auth(request) is None:
        return RedirectResponse("/", status_code=303)
    message = request.query_params.get("error")
    t = page_translator(request)
    context = {**_page_context(request, t), "bot_username": await bot_username(request), "message": message}
    response = templates.TemplateResponse(request, "login.html", context)
    response.headers["Vary"] = "Accept-Language"
    return response


def _safe_next(raw: str | None) -> str:
    target = unquote(raw or "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


async def telegram_callback(request: Request) -> Response:
    """Check the widget's signed data; on success set the session cookie and go back to the page."""
    auth = _auth(request)
    if auth is None:
        return RedirectResponse("/", status_code=303)
    fields = {key: request.query_params.getlist(key)[0] for key in request.query_params}
    try:
        token = auth.login(fields)
    except LoginRefused as refused:
        log.info("dashboard login refused: %s", refused.message)
        t = page_translator(request)
        context = {
            **_page_context(request, t),
            "bot_username": await bot_username(request),
            "message": t.gettext(refused.message),
        }
        return templates.TemplateResponse(request, "login.html", context, status_code=403)
    response = RedirectResponse(_safe_next(request.cookies.get(NEXT_COOKIE)), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_MAX_AGE.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=auth.secure_cookies,
    )
    response.delete_cookie(NEXT_COOKIE)
    return response


async def logout(request: Request) -> Response:
    auth = _auth(request)
    if auth is not None:
        await run_in_threadpool(auth.logout, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login" if auth else "/", status_code=303)
    secure = bool(auth and auth.secure_cookies)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=secure)
    return response


async def favicon(request: Request) -> Response:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" '
        'fill="#4f46e5"/><path d="M8 22l6-7 5 4 6-9" stroke="#fff" stroke-width="3" fill="none" '
        'stroke-linecap="round" stroke-linejoin="round"/></svg>'
    )
    return HTMLResponse(svg, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


routes = [
    Route("/", index, methods=["GET"]),
    Route("/login", login, methods=["GET"]),
    Route("/auth/telegram/callback", telegram_callback, methods=["GET"]),
    Route("/logout", logout, methods=["GET", "POST"]),
    Route("/favicon.ico", favicon, methods=["GET"]),
]
