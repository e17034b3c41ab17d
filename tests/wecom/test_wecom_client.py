"""WeComClient against a fake WeCom served over loopback HTTP.

The fake answers each API from a script (falling back to success) and records every request, so
each test reads as: what WeCom said, what the client did on the wire, what the caller got.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.clock import FrozenClock
from bot.wecom.client import AppCredentials, WeComAPIError, WeComClient

CREDS = AppCredentials(corp_id="ww-corp", secret="s3cr3t-app-secret", agent_id=1000002)
DROP = "drop"  # scripted reply: cut the connection without answering


@dataclass(frozen=True)
class Slow:
    """Scripted reply: answer only after ``seconds``."""

    seconds: float
    reply: dict[str, Any]


Reply = dict[str, Any] | int | str | Slow


@dataclass
class Recorded:
    api: str
    method: str
    query: dict[str, str]
    content_type: str
    body: bytes
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


class FakeWeCom:
    def __init__(self) -> None:
        self.scripts: defaultdict[str, deque[Reply]] = defaultdict(deque)
        self.requests: list[Recorded] = []
        self.tokens_issued = 0
        self.token_delay = 0.0

    def script(self, api: str, *replies: Reply) -> None:
        self.scripts[api].extend(replies)

    def calls(self, api: str) -> list[Recorded]:
        return [r for r in self.requests if r.api == api]

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/cgi-bin/{api:.+}", self._handle)
        return app

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        api = request.match_info["api"]
        self.requests.append(await self._record(api, request))
        reply = self.scripts[api].popleft() if self.scripts[api] else await self._default(api)
        if isinstance(reply, Slow):
            await asyncio.sleep(reply.seconds)
            reply = reply.reply
        if reply == DROP:
            assert request.transport is not None
            request.transport.abort()
            return web.Response()
        if isinstance(reply, int):
            return web.Response(status=reply, text="upstream trouble")
        return web.json_response(reply)

    async def _default(self, api: str) -> dict[str, Any]:
        if api != "gettoken":
            return {"errcode": 0, "errmsg": "ok"}
        await asyncio.sleep(self.token_delay)
        self.tokens_issued += 1
        return {"errcode": 0, "access_token": f"token-{self.tokens_issued}", "expires_in": 7200}

    async def _record(self, api: str, request: web.Request) -> Recorded:
        recorded = Recorded(
            api=api,
            method=request.method,
            query=dict(request.query),
            content_type=request.headers.get("Content-Type", ""),
            body=b"",
        )
        if request.content_type == "multipart/form-data":
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    recorded.files[name] = (value.filename, value.file.read())
        else:
            recorded.body = await request.read()
        return recorded


class RecordingSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


@pytest.fixture
def fake() -> FakeWeCom:
    return FakeWeCom()


@pytest.fixture
async def server(fake: FakeWeCom) -> AsyncIterator[TestServer]:
    test_server = TestServer(fake.app(), host="127.0.0.1")
    async with test_server:
        yield test_server


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2025, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def make_client(
    server: TestServer, session: aiohttp.ClientSession, clock: FrozenClock, sleep: RecordingSleep
) -> Callable[..., WeComClient]:
    def make(**options: Any) -> WeComClient:
        base = options.pop("api_base", str(server.make_url("/")))
        return WeComClient(session, base, clock=clock, sleep=sleep, **options)

    return make


@pytest.fixture
def client(make_client: Callable[..., WeComClient]) -> WeComClient:
    return make_client()


def tokens_used(fake: FakeWeCom, api: str) -> list[str]:
    return [r.query["access_token"] for r in fake.calls(api)]


# --- access tokens ---------------------------------------------------------------------------


async def test_token_is_fetched_once_and_reused_until_shortly_before_expiry(
    client: WeComClient, fake: FakeWeCom, clock: FrozenClock
) -> None:
    await client.call(CREDS, "user/get", method="GET", params={"userid": "zhangsan"})
    await client.call(CREDS, "user/get", method="GET", params={"userid": "lisi"})
    clock.advance(timedelta(seconds=7200 - 300 - 1))
    await client.call(CREDS, "user/get", method="GET", params={"userid": "wangwu"})
    clock.advance(timedelta(seconds=2))  # now inside the 5-minute safety margin
    await client.call(CREDS, "user/get", method="GET", params={"userid": "zhaoliu"})

    [first_fetch, _] = fake.calls("gettoken")
    assert first_fetch.method == "GET"
    assert first_fetch.query == {"corpid": "ww-corp", "corpsecret": "s3cr3t-app-secret"}
    assert tokens_used(fake, "user/get") == ["token-1", "token-1", "token-1", "token-2"]
    assert fake.calls("user/get")[0].query["userid"] == "zhangsan"


async def test_ten_concurrent_callers_share_one_gettoken(
    client: WeComClient, fake: FakeWeCom
) -> None:
    fake.token_delay = 0.05

    results = await asyncio.gather(
        *(client.call(CREDS, "message/send", json={}) for _ in range(10))
    )

    assert len(fake.calls("gettoken")) == 1
    assert tokens_used(fake, "message/send") == ["token-1"] * 10
    assert all(result["errcode"] == 0 for result in results)


async def test_each_app_secret_has_its_own_token(client: WeComClient, fake: FakeWeCom) -> None:
    other_app = AppCredentials(corp_id="ww-corp", secret="another-secret", agent_id=1000003)

    first = await client.access_token(CREDS)
    second = await client.access_token(other_app)

    assert (first, second) == ("token-1", "token-2")
    assert await client.access_token(CREDS) == "token-1"


async def test_force_refresh_fetches_a_new_token(client: WeComClient, fake: FakeWeCom) -> None:
    assert await client.access_token(CREDS) == "token-1"
    assert await client.access_token(CREDS, force_refresh=True) == "token-2"
    assert await client.access_token(CREDS) == "token-2"


async def test_expired_token_is_refreshed_and_the_call_retried_once(
    client: WeComClient, fake: FakeWeCom, sleep: RecordingSleep
) -> None:
    fake.script("message/send", {"errcode": 42001, "errmsg": "access_token expired"})

    result = await client.send_message(CREDS, {"touser": "zhangsan", "msgtype": "text"})

    assert result["errcode"] == 0
    assert tokens_used(fake, "message/send") == ["token-1", "token-2"]
    assert sleep.delays == []


async def test_token_rejected_twice_raises_with_credentials_hint(
    client: WeComClient, fake: FakeWeCom
) -> None:
    invalid = {"errcode": 40014, "errmsg": "invalid access_token"}
    fake.script("user/get", invalid, invalid, {"errcode": 0, "errmsg": "never reached"})

    with pytest.raises(WeComAPIError) as caught:
        await client.call(CREDS, "user/get", method="GET", params={"userid": "zhangsan"})

    assert caught.value.errcode == 40014
    assert caught.value.api == "user/get"
    assert caught.value.hint is not None
    assert "secret" in caught.value.hint
    assert len(fake.calls("user/get")) == 2
    assert len(fake.calls("gettoken")) == 2


# --- backoff and retries ---------------------------------------------------------------------


async def test_rate_limits_back_off_exponentially_then_succeed(
    client: WeComClient, fake: FakeWeCom, sleep: RecordingSleep
) -> None:
    fake.script(
        "externalcontact/get",
        {"errcode": 45009, "errmsg": "api freq out of limit"},
        {"errcode": 45033, "errmsg": "api concurrent out of limit"},
        {"errcode": 0, "external_contact": {"name": "王小姐"}},
    )

    result = await client.call(
        CREDS, "externalcontact/get", method="GET", params={"external_userid": "wmABC"}
    )

    assert result["external_contact"]["name"] == "王小姐"
    assert sleep.delays == [0.5, 1.0]
    assert len(fake.calls("externalcontact/get")) == 3


async def test_server_errors_and_dropped_connections_are_retried(
    client: WeComClient, fake: FakeWeCom, sleep: RecordingSleep
) -> None:
    fake.script("message/send", 502, DROP, {"errcode": 0, "msgid": "m-1"})

    result = await client.send_message(CREDS, {"touser": "zhangsan", "msgtype": "text"})

    assert result["msgid"] == "m-1"
    assert sleep.delays == [0.5, 1.0]


async def test_slow_answers_time_out_and_are_retried(
    make_client: Callable[..., WeComClient], fake: FakeWeCom, sleep: RecordingSleep
) -> None:
    client = make_client(request_timeout=0.05)
    fake.script("user/get", Slow(0.3, {"errcode": 0, "name": "too late"}), {"errcode": 0})

    result = await client.call(CREDS, "user/get", method="GET")

    assert result == {"errcode": 0}
    assert sleep.delays == [0.5]


async def test_gives_up_after_max_attempts_with_the_last_errcode(
    client: WeComClient, fake: FakeWeCom, sleep: RecordingSleep
) -> None:
    fake.script("message/send", *[{"errcode": -1, "errmsg": "system busy"}] * 5)

    with pytest.raises(WeComAPIError) as caught:
        await client.send_message(CREDS, {"touser": "zhangsan", "msgtype": "text"})

    assert caught.value.errcode == -1
    assert caught.value.errmsg == "system busy"
    assert len(fake.calls("message/send")) == 4
    assert sleep.delays == [0.5, 1.0, 2.0]


async def test_unreachable_server_raises_transport_error(
    make_client: Callable[..., WeComClient], sleep: RecordingSleep
) -> None:
    with socket.socket() as probe:  # a loopback port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(api_base=f"http://127.0.0.1:{port}/", max_attempts=2)

    with pytest.raises(WeComAPIError) as caught:
        await client.access_token(CREDS)

    assert caught.value.errcode == -1
    assert caught.value.api == "gettoken"
    assert "transport error" in caught.value.errmsg
    assert sleep.delays == [0.5]


async def test_other_errors_raise_at_once(
    client: WeComClient, fake: FakeWeCom, sleep: RecordingSleep
) -> None:
    fake.script("message/send", {"errcode": 81013, "errmsg": "user & party & tag all invalid"})

    with pytest.raises(WeComAPIError) as caught:
        await client.send_message(CREDS, {"touser": "ghost", "msgtype": "text"})

    assert caught.value.errcode == 81013
    assert caught.value.hint is None
    assert len(fake.calls("message/send")) == 1
    assert sleep.delays == []


async def test_html_answer_is_reported_not_crashed_on(client: WeComClient, fake: FakeWeCom) -> None:
    fake.script("user/get", 404)

    with pytest.raises(WeComAPIError, match="HTTP 404") as caught:
        await client.call(CREDS, "user/get", method="GET")

    assert caught.value.errcode == -1


# --- what errors tell the operator -----------------------------------------------------------


async def test_untrusted_ip_error_explains_the_trusted_ip_setting(
    client: WeComClient, fake: FakeWeCom
) -> None:
    fake.script(
        "message/send",
        {"errcode": 60020, "errmsg": "not allow to access from your ip, from ip: 203.0.113.7"},
    )

    with pytest.raises(WeComAPIError) as caught:
        await client.send_message(CREDS, {"touser": "zhangsan", "msgtype": "text"})

    message = str(caught.value)
    assert "60020" in message
    assert "message/send" in message
    assert "203.0.113.7" in message
    assert "可信IP" in message
    assert caught.value.hint is not None
    assert "可信IP" in caught.value.hint


async def test_forbidden_api_error_explains_the_customer_contact_setting(
    client: WeComClient, fake: FakeWeCom
) -> None:
    fake.script("externalcontact/get", {"errcode": 48002, "errmsg": "api forbidden"})

    with pytest.raises(WeComAPIError) as caught:
        await client.call(CREDS, "externalcontact/get", method="GET")

    assert caught.value.hint is not None
    assert "可调用接口的应用" in caught.value.hint
    assert "可调用接口的应用" in str(caught.value)


async def test_errors_never_reveal_the_secret_or_the_token(
    client: WeComClient, fake: FakeWeCom
) -> None:
    fake.script(
        "user/get",
        {"errcode": 40014, "errmsg": "invalid access_token token-1"},
        {"errcode": 40014, "errmsg": "invalid access_token token-2"},
    )
    with pytest.raises(WeComAPIError) as rejected:
        await client.call(CREDS, "user/get", method="GET")

    fake.script("gettoken", {"errcode": 40001, "errmsg": "invalid secret s3cr3t-app-secret"})
    with pytest.raises(WeComAPIError) as bad_secret:
        await client.access_token(CREDS, force_refresh=True)

    for error in (rejected.value, bad_secret.value):
        for text in (str(error), repr(error)):
            assert "s3cr3t-app-secret" not in text
            assert "token-1" not in text
            assert "token-2" not in text
    assert bad_secret.value.errcode == 40001
    assert "s3cr3t-app-secret" not in repr(CREDS)


# --- messages and media ----------------------------------------------------------------------


async def test_send_message_fills_agentid_and_sends_utf8_json(
    client: WeComClient, fake: FakeWeCom
) -> None:
    await client.send_message(
        CREDS, {"touser": "zhangsan", "msgtype": "text", "text": {"content": "你好"}}
    )
    await client.send_message(CREDS, {"touser": "lisi", "msgtype": "text", "agentid": 42})

    first, second = fake.calls("message/send")
    assert first.json() == {
        "agentid": 1000002,
        "touser": "zhangsan",
        "msgtype": "text",
        "text": {"content": "你好"},
    }
    assert "你好".encode() in first.body
    assert first.content_type.startswith("application/json")
    assert second.json()["agentid"] == 42


async def test_partial_delivery_is_logged_and_returned(
    client: WeComClient, fake: FakeWeCom, caplog: pytest.LogCaptureFixture
) -> None:
    fake.script(
        "message/send",
        {"errcode": 0, "errmsg": "ok", "invaliduser": "ghost|left-company", "invalidparty": ""},
    )

    with caplog.at_level(logging.WARNING, logger="bot.wecom.client"):
        result = await client.send_message(
            CREDS, {"touser": "zhangsan|ghost|left-company", "msgtype": "text"}
        )

    assert result["invaliduser"] == "ghost|left-company"
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "ghost|left-company" in warning.getMessage()
    assert "invalidparty" not in warning.getMessage()


async def test_upload_media_sends_multipart_and_returns_media_id(
    client: WeComClient, fake: FakeWeCom
) -> None:
    fake.script("media/upload", {"errcode": 0, "type": "image", "media_id": "MEDIA-1"})

    media_id = await client.upload_media(CREDS, "image", "poster.png", b"\x89PNG fake bytes")

    assert media_id == "MEDIA-1"
    [upload] = fake.calls("media/upload")
    assert upload.method == "POST"
    assert upload.query == {"type": "image", "access_token": "token-1"}
    assert upload.files == {"media": ("poster.png", b"\x89PNG fake bytes")}


async def test_upload_retried_after_server_error_sends_the_file_again(
    client: WeComClient, fake: FakeWeCom, sleep: RecordingSleep
) -> None:
    fake.script("media/upload", 503, {"errcode": 0, "media_id": "MEDIA-2"})

    media_id = await client.upload_media(CREDS, "file", "report.pdf", b"%PDF-1.7")

    assert media_id == "MEDIA-2"
    assert [r.files["media"] for r in fake.calls("media/upload")] == [
        ("report.pdf", b"%PDF-1.7")
    ] * 2
    assert sleep.delays == [0.5]
