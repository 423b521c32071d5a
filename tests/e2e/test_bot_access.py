"""Access control end to end: requests, the admins' buttons, five denials, /users actions."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.language import Language
from ksales.domain.users import UserStatus
from ksales.entrypoints.bot import keyboards, texts
from ksales.entrypoints.container import Container
from ksales.entrypoints.settings import Secret, Settings
from tests.containers import on_fakes
from tests.e2e.fake_telegram import BotThread, FakeTelegram, Sent, TgUser

KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2026, 11, 18, 12, tzinfo=KYIV)
ADMIN = TgUser(1, "Admin", "boss")
SECOND_ADMIN = TgUser(2, "Deputy")
STRANGER = TgUser(100, "Taras <&>", "taras")
PERSISTENT = TgUser(200, "Ivan")
VICTIM = TgUser(300, "Oksana", "oksana")


@pytest.fixture(scope="module")
def users() -> InMemoryUserStore:
    return InMemoryUserStore()


@pytest.fixture(scope="module")
def bot(
    fake: FakeTelegram, users: InMemoryUserStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotThread]:
    settings = Settings(
        bot_token=Secret(fake.token),
        telegram_api_base_url=fake.base_url,
        admin_user_ids=frozenset({ADMIN.id, SECOND_ADMIN.id}),
        data_dir=tmp_path_factory.mktemp("bot-access"),
        timezone=KYIV,
        language=Language.EN,
    )
    container = on_fakes(Container(settings=settings), clock=FixedClock(NOW), users=users)
    runner = BotThread(container).start()
    yield runner
    runner.stop()


def ask(fake: FakeTelegram, user: TgUser, text: str, expect: str) -> Sent:
    mark = fake.send(user, text)
    return fake.message(user.id, expect, since=mark)


def request_access(fake: FakeTelegram, user: TgUser) -> tuple[Sent, Sent]:
    """The user asks via /start and its button; returns the notices both admins got."""
    welcome = ask(fake, user, "/start", "need an admin's approval")
    mark = fake.press(user, welcome, "Request access")
    fake.message(user.id, "sent to the admins", since=mark)
    first = fake.message(ADMIN.id, f"Access request from {html.escape(user.first_name)}", since=mark)
    second = fake.message(SECOND_ADMIN.id, "Access request from", since=mark)
    return first, second


def test_strangers_may_use_only_start_and_help(bot: BotThread, fake: FakeTelegram) -> None:
    ask(fake, STRANGER, "/help", "/report")
    for command in ("/report", "/top", "/excel", "/search 5", "/settings", "/dashboard", "/users"):
        ask(fake, STRANGER, command, texts.NOT_ALLOWED)
    ask(fake, STRANGER, "hello?", texts.NOT_ALLOWED)


def test_request_approve_then_report(bot: BotThread, fake: FakeTelegram, users: InMemoryUserStore) -> None:
    notice, _ = request_access(fake, STRANGER)
    assert "Taras &lt;&amp;&gt; @taras (id 100)" in notice.text
    ask(fake, STRANGER, "/start", "still waiting")
    mark = fake.press(ADMIN, notice, "Approve")
    fake.message(STRANGER.id, "was approved", since=mark)
    fake.message(ADMIN.id, "approved (by you)", since=mark)
    stored = users.get(STRANGER.id)
    assert stored is not None
    assert stored.status is UserStatus.APPROVED
    assert stored.reviewed_by == ADMIN.id
    assert stored.last_active_at == NOW
    ask(fake, STRANGER, "/report", "Revenue:")
    # a non-admin cannot manage users
    ask(fake, STRANGER, "/users", texts.ADMINS_ONLY)


def test_the_second_admin_sees_the_request_was_decided(bot: BotThread, fake: FakeTelegram) -> None:
    first, second = request_access(fake, VICTIM)
    mark = fake.press(ADMIN, first, "Approve")
    fake.message(VICTIM.id, "was approved", since=mark)
    mark = fake.press(SECOND_ADMIN, second, "Deny")
    fake.message(SECOND_ADMIN.id, "approved (already)", since=mark)


def test_five_denials_freeze_and_unfreeze_lets_them_ask_again(
    bot: BotThread, fake: FakeTelegram, users: InMemoryUserStore
) -> None:
    for round_ in range(1, 6):
        notice, _ = request_access(fake, PERSISTENT)
        mark = fake.press(ADMIN, notice, "Deny")
        expected = "Further requests are blocked" if round_ == 5 else "was denied"
        fake.message(PERSISTENT.id, expected, since=mark)
    frozen = users.get(PERSISTENT.id)
    assert frozen is not None
    assert frozen.status is UserStatus.FROZEN
    assert frozen.denial_count == 5
    ask(fake, PERSISTENT, "/start", "requests are blocked")
    listing = ask(fake, ADMIN, "/users", "Users")
    assert "<b>Frozen</b> (1)" in listing.text
    mark = fake.press(ADMIN, listing, "Unfreeze Ivan")
    fake.message(PERSISTENT.id, "can request access again", since=mark)
    refreshed = fake.message(ADMIN.id, "<b>Frozen</b> (0)", since=mark)
    assert refreshed.message_id == listing.message_id
    request_access(fake, PERSISTENT)


def test_users_list_actions(bot: BotThread, fake: FakeTelegram, users: InMemoryUserStore) -> None:
    pending = TgUser(400, "Petro")
    request_access(fake, pending)
    listing = ask(fake, ADMIN, "/users", "<b>Pending</b>")
    assert "Petro (id 400)" in listing.text
    assert "Admin @boss (id 1) · admin" in listing.text
    mark = fake.press(ADMIN, listing, "✅ Petro")
    fake.message(pending.id, "was approved", since=mark)
    listing = fake.message(ADMIN.id, "Users", since=mark)
    mark = fake.press(ADMIN, listing, "Revoke Petro")
    fake.message(pending.id, "was revoked", since=mark)
    ask(fake, pending, "/report", texts.NOT_ALLOWED)
    revoked = users.get(pending.id)
    assert revoked is not None
    assert revoked.status is UserStatus.DENIED


def test_an_oversized_user_id_is_ignored_not_crashed_on(
    bot: BotThread, fake: FakeTelegram, users: InMemoryUserStore
) -> None:
    """Issue 9: ids enter through bot updates too; one above 2^53 is dropped at the gate."""
    huge = TgUser(2**64 + 1, "Mallory")
    mark = fake.send(huge, "/start")
    fake.send(huge, "hello")
    # The admin's next command is answered; nothing was sent to (or stored for) the oversized id.
    ask(fake, ADMIN, "/help", "/report")
    assert fake.texts_to(huge.id, since=mark) == []
    assert users.get(huge.id) is None


def test_a_forged_review_button_is_refused(bot: BotThread, fake: FakeTelegram) -> None:
    """A button's data comes from the client: an id that is no id gets a short answer, not a crash."""
    notice = ask(fake, ADMIN, "/help", "/report")
    forged = [f"{keyboards.REVIEW}:approve:{2**70}:{keyboards.FROM_NOTICE}", "nonsense", "acc:x:1:n"]
    notice.reply_markup = {
        "inline_keyboard": [[{"text": f"Forged {n}", "callback_data": data}] for n, data in enumerate(forged)]
    }
    for n in range(len(forged)):
        mark = fake.press(ADMIN, notice, f"Forged {n}")
        answers = [c.params.get("text") for c in fake.calls[mark:] if c.method == "answerCallbackQuery"]
        assert answers == ["Unknown action"], answers
