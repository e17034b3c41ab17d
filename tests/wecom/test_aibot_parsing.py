"""The group bot's JSON, without a network: its crypto with the empty receive id (checked
against wechatpy's cipher), callbacks parsed into updates, @mentions stripped, the passive
reply and the ``[tenants.aibot]`` config."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from wechatpy.enterprise.crypto import PrpCrypto

from bot.config import ConfigError, parse_settings
from bot.dispatch.types import Channel, ChatType
from bot.wecom.aibot import (
    extract_json_encrypt,
    open_json,
    parse_aibot_callback,
    passive_reply,
    seal_json,
    strip_mention,
)
from bot.wecom.crypto import CallbackCrypto, CallbackRejected
from tests.conftest import TEST_CONFIG
from tests.support.aibot import AIBOT_AES_KEY, AIBOT_TOKEN

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CRYPTO = CallbackCrypto(AIBOT_TOKEN, AIBOT_AES_KEY, "")


def callback(**changes: Any) -> str:
    """A text message as doc 100719 shows it, with ``changes`` applied (None removes)."""
    message: dict[str, Any] = {
        "msgid": "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=",
        "aibotid": "AIBOTID",
        "chatid": "wrGROUP",
        "chattype": "group",
        "from": {"userid": "zhangsan"},
        "response_url": "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=R1",
        "msgtype": "text",
        "text": {"content": "@小助手 帮助"},
    }
    message.update(changes)
    return json.dumps({k: v for k, v in message.items() if v is not None}, ensure_ascii=False)


def parse(plain: str, bot_name: str = "小助手") -> Any:
    return parse_aibot_callback(plain, "acme", bot_name, NOW)


# --- crypto ----------------------------------------------------------------------------------


def test_a_sealed_reply_opens_with_the_empty_receive_id() -> None:
    sealed = seal_json(CRYPTO, '{"msgtype": "stream"}', "1795399200")
    assert set(sealed) == {"encrypt", "msgsignature", "timestamp", "nonce"}
    assert open_json(CRYPTO, sealed) == '{"msgtype": "stream"}'


def test_wechatpys_cipher_and_ours_agree_on_the_empty_receive_id() -> None:
    theirs = PrpCrypto(base64.b64decode(AIBOT_AES_KEY + "="))
    encrypted = theirs.encrypt("你好，机器人", "").decode()
    assert CRYPTO.decrypt(encrypted) == "你好，机器人"
    assert theirs.decrypt(CRYPTO.encrypt("收到"), "") == "收到"


def test_a_message_for_an_app_is_refused_by_the_group_bot() -> None:
    app_cipher = CallbackCrypto(AIBOT_TOKEN, AIBOT_AES_KEY, "wx49f0ab532d5d035a")
    with pytest.raises(CallbackRejected, match="receive id"):
        CRYPTO.decrypt(app_cipher.encrypt("{}"))


def test_a_tampered_reply_does_not_open() -> None:
    sealed = seal_json(CRYPTO, "{}", "1795399200")
    with pytest.raises(CallbackRejected, match="signature"):
        open_json(CRYPTO, {**sealed, "nonce": "another"})


@pytest.mark.parametrize(
    ("body", "reason"),
    [("not json", "not JSON"), ("[]", "no encrypt"), ('{"encrypt": ""}', "no encrypt")],
)
def test_an_envelope_without_ciphertext_is_refused(body: str, reason: str) -> None:
    with pytest.raises(CallbackRejected, match=reason) as refused:
        extract_json_encrypt(body)
    assert refused.value.status == 400


# --- callbacks -------------------------------------------------------------------------------


def test_a_group_text_becomes_an_update_that_answers_the_callback() -> None:
    update = parse(callback())
    assert (update.channel, update.chat_type, update.chat_id) == (
        Channel.AIBOT,
        ChatType.GROUP,
        "wrGROUP",
    )
    assert (update.user_id, update.text, update.msg_type) == ("zhangsan", "帮助", "text")
    assert update.key == "aibot:CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI="
    assert update.reply_to == update.key  # replies find the callback's response_url by it
    assert update.fields["response_url"].endswith("response_code=R1")
    assert update.fields["raw_text"] == "@小助手 帮助"


def test_a_single_chat_has_no_group() -> None:
    update = parse(callback(chattype="single", chatid=None, text={"content": "套餐"}))
    assert (update.chat_type, update.chat_id, update.text) == (ChatType.SINGLE, None, "套餐")


def test_a_quote_and_a_mixed_message_keep_their_words() -> None:
    mixed = {
        "msg_item": [
            {"msgtype": "text", "text": {"content": "@小助手 查客户"}},
            {"msgtype": "image", "image": {"url": "https://example.com/1.png"}},
            {"msgtype": "text", "text": {"content": "张三"}},
        ]
    }
    quote = {"msgtype": "text", "text": {"content": "张三 13800138000"}}
    update = parse(callback(msgtype="mixed", text=None, mixed=mixed, quote=quote))
    assert update.text == "查客户 张三"
    assert update.fields["quote"] == "张三 13800138000"


def test_a_voice_message_reads_its_transcript() -> None:
    update = parse(callback(msgtype="voice", text=None, voice={"content": "我的待办"}))
    assert update.text == "我的待办"


def test_the_callbacks_own_time_is_kept_when_it_has_one() -> None:
    assert parse(callback(create_time=1795399200)).created_at == datetime(
        2026, 11, 23, 2, 0, tzinfo=UTC
    )
    assert parse(callback(create_time=10**30)).created_at == NOW  # no clock holds that


def test_entering_the_chat_is_an_event() -> None:
    update = parse(callback(msgtype="event", text=None, event={"eventtype": "enter_chat"}))
    assert (update.event, update.text, update.is_event) == ("enter_chat", "", True)


def test_a_stream_refresh_is_not_an_update() -> None:
    assert parse(callback(msgtype="stream", text=None, stream={"id": "S1"})) is None


def test_a_very_long_msgid_still_makes_a_short_stable_key() -> None:
    first, again = parse(callback(msgid="x" * 400)), parse(callback(msgid="x" * 400))
    assert first.key == again.key and len(first.key) <= 250


@pytest.mark.parametrize(
    ("plain", "reason"),
    [
        ("{", "not JSON"),
        ("[1]", "not a JSON object"),
        (callback(**{"from": None}), "from.userid"),
        (callback(msgtype=None), "msgtype"),
        (callback(text="帮助"), "text is not an object"),
        ("[" * 100_000 + "]" * 100_000, "not JSON"),
    ],
)
def test_a_malformed_callback_is_refused(plain: str, reason: str) -> None:
    with pytest.raises(CallbackRejected, match=reason):
        parse(plain)


@pytest.mark.parametrize(
    ("text", "name", "chat", "expected"),
    [
        ("@小助手 帮助", "小助手", ChatType.GROUP, "帮助"),
        ("@小助手\u2005帮助", "小助手", ChatType.GROUP, "帮助"),
        ("转交 张三 给 lisi @小助手", "小助手", ChatType.GROUP, "转交 张三 给 lisi"),
        ("分配席位 @小助手 lisi", "小助手", ChatType.GROUP, "分配席位 lisi"),
        ("@RobotA 套餐", "", ChatType.GROUP, "套餐"),  # no name configured: the first mention
        ("@RobotA 分配席位 @lisi", "", ChatType.GROUP, "分配席位 @lisi"),
        ("@lisi 你好", "小助手", ChatType.GROUP, "@lisi 你好"),  # someone else's mention stays
        ("帮助", "", ChatType.SINGLE, "帮助"),
        ("@小助手", "小助手", ChatType.GROUP, ""),
    ],
)
def test_the_bots_mention_is_stripped(text: str, name: str, chat: ChatType, expected: str) -> None:
    assert strip_mention(text, name, chat) == expected


def test_the_passive_reply_is_one_finished_stream() -> None:
    reply = passive_reply("**帮助**", stream_id="s1")
    assert reply == {
        "msgtype": "stream",
        "stream": {"id": "s1", "finish": True, "content": "**帮助**"},
    }


# --- config ----------------------------------------------------------------------------------


def config_with(aibot: dict[str, Any]) -> dict[str, Any]:
    first = {**TEST_CONFIG["tenants"][0], "aibot": aibot}
    return {"tenants": [first, *TEST_CONFIG["tenants"][1:]]}


def test_the_group_bot_config_is_optional() -> None:
    settings = parse_settings(TEST_CONFIG)
    assert settings.tenants[0].aibot.token == ""
    assert settings.wecom.passive_reply_seconds == 2.0


def test_group_bot_secrets_may_come_from_the_environment() -> None:
    env = {
        "SCRM_TENANT_ACME_AIBOT_TOKEN": "from-env",
        "SCRM_TENANT_ACME_AIBOT_AES_KEY": AIBOT_AES_KEY,
        "SCRM_TENANT_ACME_WEBHOOK_KEY": "hook-from-env",
    }
    aibot = parse_settings(config_with({"bot_id": "aib1", "admin_chat_id": "wr1"}), env)
    settings = aibot.tenants[0].aibot
    assert (settings.token, settings.encoding_aes_key) == ("from-env", AIBOT_AES_KEY)
    assert (settings.bot_id, settings.admin_chat_id, settings.webhook_key) == (
        "aib1",
        "wr1",
        "hook-from-env",
    )
    assert "from-env" not in repr(settings) and "hook-from-env" not in repr(settings)


@pytest.mark.parametrize(
    ("aibot", "path"),
    [
        ({"token": "t"}, "tenants[0].aibot.encoding_aes_key"),
        ({"encoding_aes_key": AIBOT_AES_KEY}, "tenants[0].aibot.token"),
        ({"token": "t", "encoding_aes_key": "short"}, "tenants[0].aibot.encoding_aes_key"),
        ({"webhook_key": 12}, "tenants[0].aibot.webhook_key"),
    ],
)
def test_a_wrong_group_bot_key_names_itself(aibot: dict[str, Any], path: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_settings(config_with(aibot))
    assert error.value.path == path


@pytest.mark.parametrize("seconds", [-1, 5, True, "2"])
def test_the_passive_reply_wait_stays_inside_wecoms_five_seconds(seconds: object) -> None:
    with pytest.raises(ConfigError, match="passive_reply_seconds"):
        parse_settings({**TEST_CONFIG, "wecom": {"passive_reply_seconds": seconds}})
