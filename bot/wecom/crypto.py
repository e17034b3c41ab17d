"""WeCom callback crypto (doc 90968): signatures, AES-256-CBC, and the receive-id check.

wechatpy does the cipher work; we check the signature ourselves in constant time and turn every
way a ciphertext can be malformed into one ``CallbackRejected`` so the route can answer 4xx.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct

from wechatpy.enterprise.crypto import PrpCrypto


class CallbackRejected(Exception):
    """A callback that must not be processed. ``status`` is the HTTP answer; ``reason`` is
    for the log only and never reaches the caller."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    parts = sorted([token, timestamp, nonce, encrypted])
    return hashlib.sha1("".join(parts).encode()).hexdigest()


def _aes_key(encoding_aes_key: str) -> bytes:
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error as exc:
        raise ValueError("EncodingAESKey is not valid base64") from exc
    if len(key) != 32:
        raise ValueError("EncodingAESKey must be 43 characters that decode to 32 bytes")
    return key


class CallbackCrypto:
    """Signs, encrypts and decrypts for one callback endpoint.

    ``receive_id`` is the corp id for a self-built app, and the empty string for the group bot.
    """

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str) -> None:
        self._token = token
        self._key = _aes_key(encoding_aes_key)
        self._receive_id = receive_id

    def verify(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        expected = signature(self._token, timestamp, nonce, encrypted)
        if not hmac.compare_digest(expected.encode(), msg_signature.encode()):
            raise CallbackRejected(403, "signature mismatch")

    def decrypt(self, encrypted: str) -> str:
        try:
            raw = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CallbackRejected(400, "ciphertext is not base64") from exc
        if not raw or len(raw) % 16:
            raise CallbackRejected(400, "ciphertext length is not a multiple of the block size")
        plain = PrpCrypto(self._key).cipher.decrypt(raw)
        return self._unpack(plain)

    def _unpack(self, plain: bytes) -> str:
        pad = plain[-1]
        if not 1 <= pad <= 32 or plain[-pad:] != bytes([pad]) * pad:
            raise CallbackRejected(400, "bad padding")
        content = plain[16:-pad]
        if len(content) < 4:
            raise CallbackRejected(400, "truncated plaintext")
        (length,) = struct.unpack(">I", content[:4])
        if length > len(content) - 4:
            raise CallbackRejected(400, "declared length exceeds plaintext")
        receive_id = content[4 + length :]
        if not hmac.compare_digest(receive_id, self._receive_id.encode()):
            raise CallbackRejected(403, "receive id (corp id) mismatch")
        try:
            return content[4 : 4 + length].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CallbackRejected(400, "plaintext is not UTF-8") from exc

    def encrypt(self, plaintext: str) -> str:
        """Base64 ciphertext of ``plaintext`` addressed to this endpoint's receive id."""
        encrypted: bytes = PrpCrypto(self._key).encrypt(plaintext, self._receive_id)
        return encrypted.decode()

    def seal(self, plaintext: str, timestamp: str, nonce: str | None = None) -> dict[str, str]:
        """Everything a sender needs: ciphertext, its signature, timestamp and nonce."""
        nonce = nonce or secrets.token_hex(8)
        encrypted = self.encrypt(plaintext)
        return {
            "encrypt": encrypted,
            "msg_signature": signature(self._token, timestamp, nonce, encrypted),
            "timestamp": timestamp,
            "nonce": nonce,
        }


def envelope_xml(encrypted: str, to_user: str, agent_id: int | None) -> str:
    """The outer XML WeCom POSTs to an app callback."""
    agent = f"<AgentID><![CDATA[{agent_id}]]></AgentID>" if agent_id is not None else ""
    return (
        f"<xml><ToUserName><![CDATA[{to_user}]]></ToUserName>{agent}"
        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    )
