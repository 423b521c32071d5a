"""A fake Telegram Bot API server (Starlette on uvicorn, in a thread) that tests push updates into.

The bot under test polls it exactly as it would poll api.telegram.org. Every call is recorded; messages
the bot sends are kept with their current text (edits replace it), so tests wait for what a user
would finally see. Waiting is on a condition variable, never on sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import uvicorn
from attrs import define, field
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

T = TypeVar("T")

BOT_ID = 900_000_001
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "ksales", "username": "ksales_test_bot"}
#: Parameters PTB sends JSON-encoded (strings are sent as they are).
_JSON_PARAMS = {"reply_markup", "commands", "allowed_updates", "link_preview_options", "entities"}
_INT_PARAMS = {"chat_id", "message_id", "offset", "limit", "user_id"}
#: Longest a getUpdates call is held open, whatever timeout the bot asks for.
MAX_POLL_WAIT = 1.0


@define
class TgUser:
    id: int
    first_name: str
    username: str | None = None
    #: The language of the user's Telegram app, as Telegram reports it (`uk`, `en-US`, …).
    language_code: str | None = None

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@define
class Call:
    index: int
    method: str
    params: dict[str, Any]


@define
class Sent:
    """A message the bot sent, as it stands now."""

    message_id: int
    chat_id: int
    text: str = ""
    reply_markup: dict[str, Any] | None = None
    document: tuple[str, bytes] | None = None
    caption: str | None = None
    photo: bytes | None = None
    changed_at: int = 0
    history: list[str] = field(factory=list)

    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button(self, text: str) -> dict[str, Any]:
        """The button whose label contains `text`."""
        for button in self.buttons():
            if text in button["text"]:
                return button
        raise AssertionError(f"no button {text!r} in {[b['text'] for b in self.buttons()]}")

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "date": int(time.time()),
            "chat": {"id": self.chat_id, "type": "private"},
            "from": BOT_USER,
        }
        if self.document is not None:
            name = self.document[0]
            data["document"] = {"file_id": f"f{self.message_id}", "file_unique_id": f"u{self.message_id}"}
            data["document"]["file_name"] = name
            if self.caption:
                data["caption"] = self.caption
        elif self.photo is not None:
            data["photo"] = [
                {
                    "file_id": f"p{self.message_id}",
                    "file_unique_id": f"q{self.message_id}",
                    "width": 800,
                    "height": 450,
                }
            ]
            if self.caption:
                data["caption"] = self.caption
        else:
            data["text"] = self.text
        if self.reply_markup:
            data["reply_markup"] = self.reply_markup
        return data


def _decode(name: str, value: Any) -> Any:
    if isinstance(value, UploadFile):
        return value
    if name in _JSON_PARAMS:
        return json.loads(value)
    if name in _INT_PARAMS:
        return int(value)
    return value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeTelegram:
    def __init__(self, token: str = "123456:TEST-token") -> None:
        self.token = token
        self.port = free_port()
        self.calls: list[Call] = []
        self.messages: dict[int, Sent] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._cond = threading.Condition()
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # --- the server ---------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._ready.set()
        yield

    def start(self) -> FakeTelegram:
        app = Starlette(
            routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])],
            lifespan=self._lifespan,
        )
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="fake-telegram", daemon=True)
        self._thread.start()
        assert self._ready.wait(10), "the fake Bot API did not start"
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            if self._loop is not None and self._wake is not None:
                self._loop.call_soon_threadsafe(self._wake.set)
            self._thread.join(10)

    async def _endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        async with request.form() as form:
            params = {name: _decode(name, value) for name, value in form.multi_items()}
            if isinstance(params.get("document"), UploadFile):
                upload = params["document"]
                params["document"] = (upload.filename or "file", await upload.read())
            if isinstance(params.get("photo"), UploadFile):
                params["photo"] = await params["photo"].read()
        method = request.path_params["method"]
        if method == "getUpdates":
            return self._ok(await self._get_updates(params))
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            self._record(method, params)
            return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found"}, 404)
        with self._cond:
            result = handler(self._record_locked(method, params), params)
            self._cond.notify_all()
        return self._ok(result)

    @staticmethod
    def _ok(result: Any) -> JSONResponse:
        return JSONResponse({"ok": True, "result": result})

    def _record(self, method: str, params: dict[str, Any]) -> Call:
        with self._cond:
            call = self._record_locked(method, params)
            self._cond.notify_all()
            return call

    def _record_locked(self, method: str, params: dict[str, Any]) -> Call:
        call = Call(len(self.calls) + 1, method, params)
        self.calls.append(call)
        return call

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        assert self._wake is not None
        offset = int(params.get("offset") or 0)
        # Cleared before looking, in this loop: a push that lands after the look sets it again.
        self._wake.clear()
        pending = self._pending(offset)
        timeout = float(params.get("timeout") or 0)
        if not pending and timeout > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), min(timeout, MAX_POLL_WAIT))
            pending = self._pending(offset)
        return pending

    def _pending(self, offset: int) -> list[dict[str, Any]]:
        with self._cond:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            return list(self._updates)

    # --- Bot API methods ----------------------------------------------------------------------
    def _m_getMe(self, call: Call, params: dict[str, Any]) -> Any:
        return BOT_USER | {"can_join_groups": True, "can_read_all_group_messages": False}

    def _m_deleteWebhook(self, call: Call, params: dict[str, Any]) -> Any:
        return True

    def _m_setMyCommands(self, call: Call, params: dict[str, Any]) -> Any:
        return True

    def _m_answerCallbackQuery(self, call: Call, params: dict[str, Any]) -> Any:
        return True

    def _m_sendChatAction(self, call: Call, params: dict[str, Any]) -> Any:
        return True

    def _new_message(self, call: Call, params: dict[str, Any], **fields: Any) -> dict[str, Any]:
        sent = Sent(next(self._message_ids), int(params["chat_id"]), changed_at=call.index, **fields)
        sent.reply_markup = params.get("reply_markup")
        sent.history.append(sent.text)
        self.messages[sent.message_id] = sent
        return sent.json()

    def _m_sendMessage(self, call: Call, params: dict[str, Any]) -> Any:
        return self._new_message(call, params, text=params["text"])

    def _m_sendDocument(self, call: Call, params: dict[str, Any]) -> Any:
        return self._new_message(call, params, document=params["document"], caption=params.get("caption"))

    def _m_sendPhoto(self, call: Call, params: dict[str, Any]) -> Any:
        return self._new_message(call, params, photo=params["photo"], caption=params.get("caption"))

    def _m_editMessageText(self, call: Call, params: dict[str, Any]) -> Any:
        sent = self.messages[int(params["message_id"])]
        sent.text = params["text"]
        sent.reply_markup = params.get("reply_markup")
        sent.changed_at = call.index
        sent.history.append(sent.text)
        return sent.json()

    def _m_editMessageReplyMarkup(self, call: Call, params: dict[str, Any]) -> Any:
        sent = self.messages[int(params["message_id"])]
        sent.reply_markup = params.get("reply_markup")
        sent.changed_at = call.index
        return sent.json()

    def _m_deleteMessage(self, call: Call, params: dict[str, Any]) -> Any:
        self.messages.pop(int(params["message_id"]), None)
        return True

    # --- what tests do ------------------------------------------------------------------------
    def _push(self, update: dict[str, Any]) -> None:
        with self._cond:
            update["update_id"] = next(self._update_ids)
            self._updates.append(update)
        assert self._loop is not None and self._wake is not None
        self._loop.call_soon_threadsafe(self._wake.set)

    def mark(self) -> int:
        """The index of the last call so far: wait for things that happen after it."""
        with self._cond:
            return len(self.calls)

    def send(self, user: TgUser, text: str) -> int:
        """The user types `text` in their private chat with the bot; returns a mark."""
        mark = self.mark()
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.json(),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self._push({"message": message})
        return mark

    def press(self, user: TgUser, sent: Sent, button_text: str) -> int:
        """The user presses the button labelled `button_text` under a bot message; returns a mark."""
        button = sent.button(button_text)
        mark = self.mark()
        query_id = str(next(self._query_ids))
        self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.json(),
                    "chat_instance": f"ci{user.id}",
                    "data": button["callback_data"],
                    "message": sent.json(),
                }
            }
        )
        self.wait(lambda: self._answered(query_id, mark), f"answerCallbackQuery for {button_text!r}")
        return mark

    def _answered(self, query_id: str, mark: int) -> bool:
        return any(
            c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == query_id
            for c in self.calls[mark:]
        )

    def wait(self, predicate: Callable[[], T | None], what: str = "condition", timeout: float = 15) -> T:
        """Block until `predicate()` is truthy (re-checked on every Bot API call); return its value."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    recent = [(c.method, str(c.params.get("text", ""))[:80]) for c in self.calls[-8:]]
                    raise AssertionError(f"timed out waiting for {what}; last calls: {recent}")
                self._cond.wait(left)

    def message(self, chat_id: int, contains: str, since: int = 0, timeout: float = 15) -> Sent:
        """The bot message to `chat_id` changed after mark `since` whose text or caption holds `contains`."""

        def found() -> Sent | None:
            for sent in reversed(list(self.messages.values())):
                shown = sent.text or sent.caption or ""
                if sent.chat_id == chat_id and sent.changed_at > since and contains in plain(shown):
                    return sent
            return None

        return self.wait(found, f"a message to {chat_id} containing {contains!r}", timeout)

    def texts_to(self, chat_id: int, since: int = 0) -> list[str]:
        with self._cond:
            return [
                plain(m.text) for m in self.messages.values() if m.chat_id == chat_id and m.changed_at > since
            ]


def plain(text: str) -> str:
    """Text as compared in tests: no-break and thin spaces (CLDR's, in numbers and ranges) as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")


class BotThread:
    """The real bot (`running_bot`) polling the fake server, in its own thread and event loop."""

    def __init__(self, container: Any) -> None:
        self.container = container
        self.app: Any = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bot-under-test", daemon=True)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:
            self._error = error
            self._ready.set()

    async def _main(self) -> None:
        from ksales.entrypoints.bot.lifecycle import running_bot

        self.loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with running_bot(self.container) as app:
            self.app = app
            self._ready.set()
            await self._stop.wait()

    def start(self) -> BotThread:
        self._thread.start()
        assert self._ready.wait(20), "the bot did not start"
        if self._error is not None:
            raise self._error
        return self

    def call(self, coroutine: Any, timeout: float = 15) -> Any:
        """Run a coroutine on the bot's loop (e.g. a job) and return its result."""
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def run_job(self, name: str) -> None:
        (job,) = self.app.job_queue.get_jobs_by_name(name)
        self.call(job.run(self.app))

    def stop(self) -> None:
        if self.loop is not None and self._stop is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(20)
        if self._error is not None:
            raise self._error
