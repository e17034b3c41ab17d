"""Async client for the WeCom server API: access tokens, retries, and errors that say what to fix.

The aiohttp session is passed in and never created or closed here. Time and sleeping are
injected too, so tests can expire tokens and skip backoff delays without waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import json as jsonlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from yarl import URL

from bot import metrics
from bot.clock import Clock

logger = logging.getLogger(__name__)

# Codes that mean "this access token is no good": 40001 bad secret/credential, 40014 invalid,
# 42001 expired. WeCom can revoke a token before expires_in, so these earn one refresh.
_TOKEN_ERRCODES = frozenset({40001, 40014, 42001})
# -1 system busy, 45009 frequency limit, 45033 concurrency limit: waiting helps.
_BUSY_ERRCODES = frozenset({-1, 45009, 45033})
_PARTIAL_FAILURE_KEYS = ("invaliduser", "invalidparty", "invalidtag")
# Query parameters whose values must never reach an error message or a log line.
_SENSITIVE_PARAMS = ("access_token", "corpsecret", "key", "response_code")
# WeCom counts message limits in bytes of UTF-8, and wechatpy sends unescaped UTF-8 as well;
# \uXXXX escapes would triple the size of Chinese text on the wire.
_JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}

_CREDENTIALS_HINT = (
    "check the corp id and this app's secret (应用管理 > the app > Secret); the token is "
    "refreshed automatically, so a lasting error means the secret is wrong or was reset"
)
_HINTS: dict[int, str] = {
    40001: _CREDENTIALS_HINT,
    40014: _CREDENTIALS_HINT,
    42001: _CREDENTIALS_HINT,
    45009: "API frequency limit reached (about 10,000 calls per minute per corp per API): "
    "spread the calls out over time",
    45033: "too many concurrent calls to this API: lower the concurrency",
    48002: "this app may not call this API: grant the app the API permission in the admin "
    "console, and for customer-contact APIs add the app under 客户联系 > 可调用接口的应用",
    60020: "this server's public IP is not trusted: add it to the app's 企业可信IP (trusted IPs) "
    "in the WeCom admin console (应用管理 > the app > 企业可信IP)",
    41051: "the customer has already started chatting with the member, or a welcome message was "
    "already sent: send_welcome_msg only works once, before the first chat",
    41096: "another app is already sending the welcome message for this welcome_code (for "
    "example a welcome message configured in the admin console): only one sender can use it",
}


@dataclass(frozen=True, slots=True)
class AppCredentials:
    corp_id: str
    secret: str = field(repr=False)  # kept out of repr so logging a credentials object is safe
    agent_id: int


class WeComAPIError(Exception):
    """A WeCom API call that failed; ``errcode`` -1 also covers transport failures.

    ``hint`` tells the operator how to fix the usual causes of a known code, or is None.
    """

    def __init__(self, api: str, errcode: int, errmsg: str) -> None:
        super().__init__(api, errcode, errmsg)
        self.api = api
        self.errcode = errcode
        self.errmsg = errmsg

    @property
    def hint(self) -> str | None:
        return _HINTS.get(self.errcode)

    def __str__(self) -> str:
        text = f"WeCom API {self.api} failed: errcode={self.errcode} errmsg={self.errmsg}"
        return text if self.hint is None else f"{text} (hint: {self.hint})"


class _Transient(Exception):
    """Carries the error to raise if retrying a busy or unreachable server never succeeds."""

    def __init__(self, error: WeComAPIError) -> None:
        super().__init__(error)
        self.error = error


@dataclass(frozen=True, slots=True)
class _Token:
    value: str
    expires_at: datetime


@dataclass(slots=True)
class _KeyLock:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


@dataclass(frozen=True, slots=True)
class _Request:
    api: str
    method: str
    params: Mapping[str, str]
    json_body: bytes | None = None
    # A factory because a multipart body cannot be trusted to be sent twice: each attempt
    # builds its own.
    form: Callable[[], aiohttp.FormData] | None = None


_CacheKey = tuple[str, str]


def _cache_key(creds: AppCredentials) -> _CacheKey:
    return (creds.corp_id, creds.secret)


def _redact(text: str, params: Mapping[str, str]) -> str:
    for name in _SENSITIVE_PARAMS:
        value = params.get(name)
        if value:
            text = text.replace(value, "***")
    return text


def _decode(api: str, status: int, body: bytes) -> dict[str, Any]:
    try:
        result = jsonlib.loads(body)
    except ValueError:  # covers JSONDecodeError and UnicodeDecodeError
        result = None
    if not isinstance(result, dict):
        raise WeComAPIError(api, -1, f"HTTP {status}: response is not a JSON object")
    return result


def _reuse(data: aiohttp.FormData) -> Callable[[], aiohttp.FormData]:
    return lambda: data


class WeComClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_base: str,
        *,
        clock: Clock,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        token_margin: timedelta = timedelta(minutes=5),
        max_attempts: int = 4,
        backoff_base: float = 0.5,
        request_timeout: float = 10.0,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._session = session
        self._api_base = api_base.rstrip("/")
        self._clock = clock
        self._sleep = sleep
        self._token_margin = token_margin
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        # One entry per app secret in use; locks live only while someone holds or awaits them.
        self._tokens: dict[_CacheKey, _Token] = {}
        self._locks: dict[_CacheKey, _KeyLock] = {}

    async def access_token(self, creds: AppCredentials, *, force_refresh: bool = False) -> str:
        if force_refresh:
            self._tokens.pop(_cache_key(creds), None)
        token = await self._token(creds)
        return token.value

    async def call(
        self,
        creds: AppCredentials,
        api: str,
        *,
        method: str = "POST",
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
        data: aiohttp.FormData | None = None,
    ) -> dict[str, Any]:
        """Call ``/cgi-bin/{api}`` and return the decoded reply, or raise ``WeComAPIError``.

        A ``data`` form is sent again as-is on a retry; older aiohttp versions refuse that, so
        file uploads should go through ``upload_media``, which builds a fresh form each time.
        """
        if json is not None and data is not None:
            raise ValueError("pass json or data, not both")
        request = _Request(
            api=api,
            method=method,
            params=dict(params or {}),
            json_body=None if json is None else jsonlib.dumps(json, ensure_ascii=False).encode(),
            form=None if data is None else _reuse(data),
        )
        return await self._call_with_token(creds, request)

    async def send_message(
        self, creds: AppCredentials, message: Mapping[str, Any]
    ) -> dict[str, Any]:
        result = await self.call(creds, "message/send", json={"agentid": creds.agent_id, **message})
        # WeCom answers errcode 0 when only some recipients were bad; those never get the message.
        failed = {key: result[key] for key in _PARTIAL_FAILURE_KEYS if result.get(key)}
        if failed:
            logger.warning(
                "message/send from agent %s missed some recipients: %s", creds.agent_id, failed
            )
        return result

    async def send_appchat(
        self, creds: AppCredentials, message: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Post to an app group chat (``chatid`` in ``message``) made with appchat/create."""
        return await self.call(creds, "appchat/send", json=message)

    async def send_webhook(self, key: str, message: Mapping[str, Any]) -> dict[str, Any]:
        """Post through a group webhook robot; its key is the credential, no token needed."""
        return await self._send_json("webhook/send", {"key": key}, message)

    async def respond(self, response_url: str, message: Mapping[str, Any]) -> dict[str, Any]:
        """Answer a group-bot callback through its ``response_url``. The URL's path and query
        go to the configured API base, so a proxy or the simulator serves them too."""
        url = URL(response_url)
        if not url.path.startswith("/cgi-bin/"):
            raise WeComAPIError("aibot/response", -1, "response_url is not a WeCom API address")
        return await self._send_json(url.path.removeprefix("/cgi-bin/"), dict(url.query), message)

    async def _send_json(
        self, api: str, params: Mapping[str, str], message: Mapping[str, Any]
    ) -> dict[str, Any]:
        body = jsonlib.dumps(message, ensure_ascii=False).encode()
        return await self._send(_Request(api, "POST", params, json_body=body), params)

    async def upload_media(
        self, creds: AppCredentials, media_type: str, filename: str, content: bytes
    ) -> str:
        """Upload a temporary media file (valid for 3 days) and return its media_id."""

        def build_form() -> aiohttp.FormData:
            form = aiohttp.FormData()
            form.add_field(
                "media", content, filename=filename, content_type="application/octet-stream"
            )
            return form

        request = _Request("media/upload", "POST", {"type": media_type}, form=build_form)
        result = await self._call_with_token(creds, request)
        media_id = result.get("media_id")
        if not isinstance(media_id, str) or not media_id:
            raise WeComAPIError("media/upload", -1, "response has no media_id")
        return media_id

    async def download_media(self, creds: AppCredentials, media_id: str) -> bytes:
        """``media/get``: a received file's bytes (kept by WeCom for three days). WeCom answers
        JSON only for an error, which is raised as ``WeComAPIError``."""
        params = {"access_token": await self.access_token(creds), "media_id": media_id}
        try:
            async with self._session.get(
                f"{self._api_base}/cgi-bin/media/get", params=params, timeout=self._timeout
            ) as response:
                status, body = response.status, await response.read()
                is_json = response.content_type in ("application/json", "text/plain")
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = f"transport error ({type(exc).__name__})"
            raise WeComAPIError("media/get", -1, error) from None
        if is_json or status >= 400:
            self._check("media/get", _decode("media/get", status, body), params)
            raise WeComAPIError("media/get", -1, f"HTTP {status}: no file in the response")
        return body

    async def _call_with_token(self, creds: AppCredentials, request: _Request) -> dict[str, Any]:
        token = await self._token(creds)
        try:
            return await self._send(request, {**request.params, "access_token": token.value})
        except WeComAPIError as exc:
            if exc.errcode not in _TOKEN_ERRCODES:
                raise
            logger.info("WeCom %s rejected the access token (%s); refreshing", request.api, exc)
        self._discard(_cache_key(creds), token)
        token = await self._token(creds)
        return await self._send(request, {**request.params, "access_token": token.value})

    async def _token(self, creds: AppCredentials) -> _Token:
        key = _cache_key(creds)
        cached = self._fresh_token(key)
        if cached is not None:
            return cached
        async with self._key_lock(key):
            # Whoever held the lock before us has probably just fetched one.
            cached = self._fresh_token(key)
            if cached is not None:
                return cached
            token = await self._fetch_token(creds)
            self._tokens[key] = token
            return token

    def _fresh_token(self, key: _CacheKey) -> _Token | None:
        token = self._tokens.get(key)
        if token is None or self._clock.now() >= token.expires_at:
            return None
        return token

    def _discard(self, key: _CacheKey, token: _Token) -> None:
        # Only drop the token that failed: a concurrent caller may already have replaced it.
        if self._tokens.get(key) is token:
            del self._tokens[key]

    @contextlib.asynccontextmanager
    async def _key_lock(self, key: _CacheKey) -> AsyncIterator[None]:
        slot = self._locks.setdefault(key, _KeyLock())
        slot.users += 1
        try:
            async with slot.lock:
                yield
        finally:
            slot.users -= 1
            if slot.users == 0:
                del self._locks[key]

    async def _fetch_token(self, creds: AppCredentials) -> _Token:
        # Count the lifetime from before the request, so the cached expiry errs on the early side.
        issued_at = self._clock.now()
        params = {"corpid": creds.corp_id, "corpsecret": creds.secret}
        result = await self._send(_Request("gettoken", "GET", params), params)
        value = result.get("access_token")
        if not isinstance(value, str) or not value:
            raise WeComAPIError("gettoken", -1, "response has no access_token")
        lifetime = timedelta(seconds=int(result.get("expires_in", 7200)))
        return _Token(value, issued_at + lifetime - self._token_margin)

    async def _send(self, request: _Request, params: Mapping[str, str]) -> dict[str, Any]:
        attempt = 0
        while True:
            try:
                return await self._send_once(request, params)
            except WeComAPIError as exc:
                metrics.WECOM_ERRORS.labels(request.api, str(exc.errcode)).inc()
                raise
            except _Transient as transient:
                metrics.WECOM_ERRORS.labels(request.api, str(transient.error.errcode)).inc()
                attempt += 1
                if attempt >= self._max_attempts:
                    raise transient.error from None
                reason = transient.error.errmsg
            delay = self._backoff_base * 2 ** (attempt - 1)
            logger.warning(
                "WeCom %s: %s; attempt %s of %s, retrying in %.2fs",
                request.api,
                reason,
                attempt,
                self._max_attempts,
                delay,
            )
            await self._sleep(delay)

    async def _send_once(self, request: _Request, params: Mapping[str, str]) -> dict[str, Any]:
        try:
            async with self._session.request(
                request.method,
                f"{self._api_base}/cgi-bin/{request.api}",
                params=params,
                data=request.form() if request.form else request.json_body,
                headers=_JSON_HEADERS if request.json_body is not None else None,
                timeout=self._timeout,
            ) as response:
                status = response.status
                body = await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            # Only the class name: some aiohttp errors embed the URL, and with it the token.
            error = WeComAPIError(request.api, -1, f"transport error ({type(exc).__name__})")
            raise _Transient(error) from None
        if status >= 500:
            raise _Transient(WeComAPIError(request.api, -1, f"HTTP {status}"))
        return self._check(request.api, _decode(request.api, status, body), params)

    @staticmethod
    def _check(api: str, result: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
        errcode = int(result.get("errcode", 0))
        if errcode == 0:
            return result
        error = WeComAPIError(api, errcode, _redact(str(result.get("errmsg", "")), params))
        if errcode in _BUSY_ERRCODES:
            raise _Transient(error)
        raise error
