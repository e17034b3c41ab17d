"""The floor for ``callback_load.py``: the least any WeCom callback endpoint can do.

It verifies the signature, decrypts and parses the message with wechatpy alone, and answers 200
with an empty body: no tenant lookup, no storage, no background work. Whatever the bot adds on
top of this is its own cost, so the ratio bot/floor is the number that matters.
"""

from __future__ import annotations

import logging

from aiohttp import web
from wechatpy.enterprise import parse_message
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException

logger = logging.getLogger(__name__)

FLOOR_CRYPTO = web.AppKey("floor_crypto", WeChatCrypto)


def create_floor_app(token: str, encoding_aes_key: str, corp_id: str) -> web.Application:
    app = web.Application()
    app[FLOOR_CRYPTO] = WeChatCrypto(token, encoding_aes_key, corp_id)
    # Same path shape as the bot, so the load generator sends byte-identical requests to both.
    app.router.add_post("/wecom/{tenant_key}/app", receive)
    app.router.add_get("/healthz", health)
    return app


async def receive(request: web.Request) -> web.Response:
    query = request.query
    try:
        plain = request.app[FLOOR_CRYPTO].decrypt_message(
            await request.text(), query["msg_signature"], query["timestamp"], query["nonce"]
        )
        parse_message(plain)
    except (KeyError, InvalidSignatureException, InvalidCorpIdException) as exc:
        # The bench only sends valid callbacks; a refusal here means the bench itself is wrong.
        logger.warning("floor refused a callback: %r", exc)
        return web.Response(status=403, body=b"")
    return web.Response(status=200, body=b"")


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def serve_floor(port: int, token: str, encoding_aes_key: str, corp_id: str) -> None:
    web.run_app(
        create_floor_app(token, encoding_aes_key, corp_id),
        host="127.0.0.1",
        port=port,
        print=None,
        access_log=None,
    )
