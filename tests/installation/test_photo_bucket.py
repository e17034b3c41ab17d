"""Site photos kept in an S3-compatible bucket: the Signature Version 4 signing against AWS's
documented examples, a photo sent on site landing in a fake S3 server that checks every
signature, a refusing or unreachable bucket leaving the photo for the retry sweep, and the
``[installation.photos]`` settings naming what is wrong."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import hmac
import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from support.crm import Chat
from support.followups import add_customer
from support.installation import install_chat, photo_sweep, sweep_photos

from bot.clock import FrozenClock
from bot.config import ConfigError, Settings, parse_settings
from bot.installation.bucket import PhotoBucket, SigV4, uri_encode
from bot.installation.photo_store import (
    BucketPhotoStore,
    LocalPhotoFolder,
    PhotoStoreError,
    photo_folder,
    photo_store,
)
from bot.installation.settings import InstallationSettings, PhotoBucketSettings
from models.installation import InstallJob, InstallPhoto
from tests.conftest import TEST_CONFIG

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
N1 = "AZ-20261123-0001"
ON_SITE = datetime(2026, 11, 26, 14, 5, tzinfo=SH)
JPEG = b"\xff\xd8\xff\xe0" + b"site photo"
PHOTO = b"before"  # the simulator's files are text
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/s3/aws4_request, "
    r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$"
)


# --- the signing, against AWS's documented examples ------------------------------------------


def test_signing_matches_aws_documented_get_object_example() -> None:
    # "Signature Calculations for the Authorization Header", Example: GET Object.
    signer = SigV4(KEY_ID, SECRET, "us-east-1")
    headers = {
        "Host": "examplebucket.s3.amazonaws.com",
        "Range": "bytes=0-9",
        "x-amz-content-sha256": EMPTY_SHA256,
        "x-amz-date": "20130524T000000Z",
    }
    assert signer.canonical_request("GET", "/test.txt", headers, EMPTY_SHA256) == (
        "GET\n/test.txt\n\n"
        "host:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
        f"x-amz-content-sha256:{EMPTY_SHA256}\nx-amz-date:20130524T000000Z\n\n"
        f"host;range;x-amz-content-sha256;x-amz-date\n{EMPTY_SHA256}"
    )
    assert signer.authorization("GET", "/test.txt", headers, EMPTY_SHA256) == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    )


def test_signing_matches_aws_documented_put_object_example() -> None:
    # Same page, Example: PUT Object ("Welcome to Amazon S3." to test$file.text).
    payload = hashlib.sha256(b"Welcome to Amazon S3.").hexdigest()
    assert payload == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"
    headers = {
        "Host": "examplebucket.s3.amazonaws.com",
        "Date": "Fri, 24 May 2013 00:00:00 GMT",
        "x-amz-date": "20130524T000000Z",
        "x-amz-storage-class": "REDUCED_REDUNDANCY",
        "x-amz-content-sha256": payload,
    }
    path = uri_encode("/test$file.text")
    assert path == "/test%24file.text"
    authorization = SigV4(KEY_ID, SECRET, "us-east-1").authorization("PUT", path, headers, payload)
    assert authorization.endswith(
        "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
        "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"
    )


# --- a fake S3 server that checks every signature --------------------------------------------


def _expected_signature(request: web.Request, body: bytes, secret: str) -> str | None:
    """Recomputes the signature from what arrived, written out here rather than through the
    client's signer, so a client that signs something other than what it sends fails."""
    found = AUTH_RE.match(request.headers.get("Authorization", ""))
    if found is None:
        return None
    _, day, region, signed, _ = found.groups()
    payload = request.headers.get("x-amz-content-sha256", "")
    if payload != hashlib.sha256(body).hexdigest():
        return None
    names = signed.split(";")
    canonical = "".join(f"{n}:{' '.join(request.headers.get(n, '').split())}\n" for n in names)
    creq = f"{request.method}\n{request.raw_path}\n\n{canonical}\n{signed}\n{payload}"
    amz_date = request.headers.get("x-amz-date", "")
    scope = f"{day}/{region}/s3/aws4_request"
    to_sign = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hashlib.sha256(creq.encode()).hexdigest()}"
    key = f"AWS4{secret}".encode()
    for part in (day, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def _error(status: int, code: str) -> web.Response:
    body = f'<?xml version="1.0"?><Error><Code>{code}</Code></Error>'
    return web.Response(status=status, text=body, content_type="application/xml")


@dataclass
class FakeS3:
    secret: str = SECRET
    objects: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    fail_with: int = 0  # answer every request with this status (500: the store is down)
    port: int = 0

    async def put(self, request: web.Request) -> web.Response:
        if self.fail_with:
            return _error(self.fail_with, "InternalError")
        body = await request.read()
        signature = AUTH_RE.match(request.headers.get("Authorization", ""))
        expected = _expected_signature(request, body, self.secret)
        if signature is None or expected is None or signature.group(5) != expected:
            return _error(403, "SignatureDoesNotMatch")
        name = request.match_info["key"]
        self.objects[name] = (body, request.headers.get("Content-Type", ""))
        return web.Response(status=200, headers={"ETag": hashlib.md5(body).hexdigest()})

    def settings(self, secret: str = SECRET) -> PhotoBucketSettings:
        return PhotoBucketSettings(
            endpoint=f"http://127.0.0.1:{self.port}",
            bucket="scrm-photos",
            region="cn-north-1",
            access_key_id=KEY_ID,
            secret_access_key=secret,
            prefix="acme/photos/",
        )


@pytest.fixture
async def s3() -> AsyncIterator[FakeS3]:
    fake = FakeS3()
    app = web.Application()
    app.router.add_put("/scrm-photos/{key:.+}", fake.put)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    fake.port = server.port or 0
    yield fake
    await server.close()


def with_bucket(settings: Settings, bucket: PhotoBucketSettings) -> Settings:
    return dataclasses.replace(settings, installation=InstallationSettings(photo_bucket=bucket))


# --- through the installation flow -----------------------------------------------------------


@asynccontextmanager
async def on_site(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    """王师傅 checked in on AZ0001 for 星辰科技, with the photos going to the bucket."""
    async with install_chat(settings, clock) as chat:
        await add_customer("星辰科技")
        await chat.say("lisi", "给星辰科技约安装 周四下午2点 打印机2台 地址朝阳区xx路")
        await chat.say("zhaoliu", "安排 AZ0001 给 王师傅")
        clock.set(ON_SITE)
        location = {"MsgType": "location", "Location_X": "39.9", "Location_Y": "116.4"}
        await send(chat, {**location, "Scale": "15", "Label": "朝阳区xx路"})
        yield chat


async def send(chat: Chat, fields: dict[str, str]) -> list[str]:
    since = await chat.sim.sent_count()
    assert (await chat.sim.deliver("acme", {"FromUserName": "wangsf", **fields}))["status"] == 200
    await chat.settle(since)
    return chat.sent_to("wangsf")


async def send_photo(chat: Chat, content: bytes) -> list[str]:
    media_id = await chat.sim.member_file(content.decode())
    return await send(chat, {"MsgType": "image", "MediaId": media_id})


async def test_a_site_photo_lands_in_the_bucket_under_its_hash(
    s3: FakeS3, settings: Settings, clock: FrozenClock
) -> None:
    async with on_site(with_bucket(settings, s3.settings()), clock) as chat:
        assert await send_photo(chat, PHOTO) == [f"已收到安装单 {N1} 的第 1 张照片。"]
        job = await InstallJob.get(number=N1)
        digest = hashlib.sha256(PHOTO).hexdigest()
        key = f"acme/photos/{job.tenant_id}/{digest}"
        assert s3.objects == {key: (PHOTO, "application/octet-stream")}
        [row] = await InstallPhoto.all()
        assert (row.stored_path, row.sha256, row.size) == (
            f"s3://scrm-photos/{key}",
            digest,
            len(PHOTO),
        )
        # Sent again (a new media id), the same bytes go to the same object.
        assert await send_photo(chat, PHOTO) == [f"已收到安装单 {N1} 的第 2 张照片。"]
        assert list(s3.objects) == [key]


async def test_a_refusing_bucket_leaves_the_photo_for_the_sweep(
    s3: FakeS3, settings: Settings, clock: FrozenClock
) -> None:
    wrong = s3.settings(secret="not-the-bucket-secret")
    async with on_site(with_bucket(settings, wrong), clock) as chat:
        assert await send_photo(chat, PHOTO) == [
            f"已收到安装单 {N1} 的照片，下载暂时失败，稍后会自动重试。"
        ]
        [row] = await InstallPhoto.all()
        assert (row.stored_path, row.sha256, row.attempts) == ("", "", 1)
        assert row.last_error == "存储桶写入失败 HTTP 403 SignatureDoesNotMatch"
        assert s3.objects == {}
        assert await chat.say("wangsf", "完工 AZ0001 已装好测试正常") == [
            f"安装单 {N1} 需要至少 2 张现场照片才能完工，已收到 0 张。请先发送照片。"
        ]
        # The bucket is down for a while, then takes the key the bot signs with.
        s3.fail_with = 500
        clock.set(ON_SITE + timedelta(minutes=10))
        assert await photo_sweep(chat, clock).run() == 0
        [row] = await InstallPhoto.all()
        assert (row.stored_path, row.attempts) == ("", 2)
        assert row.last_error == "存储桶写入失败 HTTP 500 InternalError"
        s3.fail_with, s3.secret = 0, "not-the-bucket-secret"
        clock.set(ON_SITE + timedelta(minutes=20))
        assert await photo_sweep(chat, clock).run() == 1
        [row] = await InstallPhoto.all()
        assert (row.stored_path.startswith("s3://scrm-photos/"), row.last_error) == (True, "")
        assert [body for body, _ in s3.objects.values()] == [PHOTO]


async def test_a_bucket_down_for_three_days_loses_the_photo_and_admins_are_told_once(
    s3: FakeS3, settings: Settings, clock: FrozenClock
) -> None:
    s3.fail_with = 500
    async with on_site(with_bucket(settings, s3.settings()), clock) as chat:
        await send_photo(chat, PHOTO)
        clock.set(ON_SITE + timedelta(days=2))
        assert await sweep_photos(chat, clock) == 0  # WeCom still has it: no alert yet
        assert chat.sent_to("zhangsan") == []
        clock.set(ON_SITE + timedelta(days=3, minutes=1))
        assert await sweep_photos(chat, clock) == 0
        # The last try found the file gone from WeCom: that is what the admins read.
        assert chat.sent_to("zhangsan") == [
            f"【安装照片丢失】安装单 {N1} 有 1 张现场照片没能下载（40007 invalid media_id），"
            "企业微信已不再保存。请安装师傅重新发送照片。"
        ]
        await sweep_photos(chat, clock)
        assert chat.sent_to("zhangsan") == []
        [row] = await InstallPhoto.all()
        assert (row.stored_path, row.attempts) == ("", 3)
        assert s3.objects == {}


# --- through the store interface -------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_an_unreachable_bucket_is_a_store_error(s3: FakeS3, clock: FrozenClock) -> None:
    down = dataclasses.replace(s3.settings(), endpoint=f"http://127.0.0.1:{_closed_port()}")
    store = BucketPhotoStore(PhotoBucket(down, clock), "scrm-photos", "")
    with pytest.raises(PhotoStoreError) as failed:
        await store.store(1, hashlib.sha256(JPEG).hexdigest(), JPEG)
    assert failed.value.reason.startswith("存储桶写入失败 Client")


async def test_an_endpoint_with_a_path_and_an_odd_key_is_signed_as_sent(
    clock: FrozenClock,
) -> None:
    fake = FakeS3()
    app = web.Application()
    app.router.add_put("/s3/scrm-photos/{key:.+}", fake.put)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        bucket = dataclasses.replace(
            fake.settings(), endpoint=f"http://127.0.0.1:{server.port}/s3/", prefix="安装 照片/"
        )
        store = BucketPhotoStore(PhotoBucket(bucket, clock), "scrm-photos", bucket.prefix)
        assert await store.store(7, "abc", JPEG) == "s3://scrm-photos/安装 照片/7/abc"
        assert fake.objects == {"安装 照片/7/abc": (JPEG, "image/jpeg")}
    finally:
        await server.close()


def test_without_a_bucket_photos_stay_in_the_local_folder(settings: Settings) -> None:
    store = photo_store(settings, FrozenClock(ON_SITE))
    assert store == LocalPhotoFolder(photo_folder(settings))


# --- the settings ----------------------------------------------------------------------------


def config(photos: dict[str, Any]) -> dict[str, Any]:
    raw = copy.deepcopy(TEST_CONFIG)
    raw["installation"] = {"photos": photos}
    return raw


FULL = {
    "endpoint": "https://s3.cn-north-1.amazonaws.com.cn/",
    "bucket": "scrm-photos",
    "region": "cn-north-1",
    "access_key_id": KEY_ID,
    "secret_access_key": SECRET,
    "prefix": "/acme/photos/",
}


def test_a_configured_bucket_is_read_with_its_secret_from_the_environment() -> None:
    without_secret = {k: v for k, v in FULL.items() if k != "secret_access_key"}
    env = {"SCRM_INSTALLATION_PHOTOS_SECRET_ACCESS_KEY": "from-env"}
    bucket = parse_settings(config(without_secret), env).installation.photo_bucket
    assert bucket == PhotoBucketSettings(
        endpoint="https://s3.cn-north-1.amazonaws.com.cn",
        bucket="scrm-photos",
        region="cn-north-1",
        access_key_id=KEY_ID,
        secret_access_key="from-env",
        prefix="acme/photos/",
    )
    assert "from-env" not in repr(bucket)
    assert parse_settings(copy.deepcopy(TEST_CONFIG)).installation.photo_bucket is None


@pytest.mark.parametrize(
    ("photos", "path", "expected"),
    [
        ({"bucket": "scrm-photos"}, "installation.photos.endpoint", "needed once any bucket key"),
        ({**FULL, "endpoint": "s3.amazonaws.com"}, "installation.photos.endpoint", "http://"),
        ({**FULL, "bucket": ""}, "installation.photos.bucket", "the bucket's name"),
        ({**FULL, "bucket": "Scrm_Photos"}, "installation.photos.bucket", "lower-case"),
        ({**FULL, "region": "华北"}, "installation.photos.region", "us-east-1"),
        ({**FULL, "access_key_id": ""}, "installation.photos.access_key_id", "access key id"),
        (
            {**FULL, "secret_access_key": ""},
            "installation.photos.secret_access_key",
            "SCRM_INSTALLATION_PHOTOS_SECRET_ACCESS_KEY",
        ),
        ({**FULL, "secret_acces_key": "x"}, "installation.photos.secret_acces_key", "one of"),
        ({**FULL, "prefix": "p" * 101}, "installation.photos.prefix", "at most 100"),
        ({**FULL, "bucket": 7}, "installation.photos.bucket", "got 7"),
    ],
)
def test_bad_bucket_settings_name_the_key(photos: dict[str, Any], path: str, expected: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_settings(config(photos))
    assert error.value.path == path
    assert expected in error.value.expected
