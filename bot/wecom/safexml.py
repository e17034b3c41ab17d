"""The only place callback XML is parsed.

WeCom never sends a DTD, so any DOCTYPE or ENTITY declaration is refused before expat sees the
text: that closes entity expansion (billion laughs) and external entities without relying on
parser flags. Every way the text can be wrong becomes ``CallbackRejected(400, ...)``.
"""

from __future__ import annotations

import re
from typing import Any
from xml.parsers.expat import ExpatError

import xmltodict

from bot.wecom.crypto import CallbackRejected

_DECLARATION = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# An employee may well type "<!DOCTYPE" in a chat message; it arrives inside CDATA, where no
# declaration can live, so only the text outside CDATA sections is searched.
_CDATA = re.compile(r"<!\[CDATA\[.*?\]\]>", re.DOTALL)
# WeCom's deepest callback (SendPicsInfo > PicList > item > PicMd5Sum under <xml>) is five
# levels; a document far deeper is hostile, and would exhaust the stack of any recursive walk.
MAX_DEPTH = 16


def _depth(document: Any) -> int:
    """How deeply elements nest in xmltodict's output, found without recursion."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(document, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                break
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth) for item in value)
    return deepest


def parse_xml(text: str) -> dict[str, Any]:
    """The children of the root ``<xml>`` element, as xmltodict gives them.

    Empty elements come back as ``None``; an element repeated under one parent comes back as a
    list, a single one as its value: callers normalise the fields they expect to repeat.
    """
    if "<!" in text and _DECLARATION.search(_CDATA.sub("", text)):
        raise CallbackRejected(400, "XML carries a DOCTYPE or ENTITY declaration")
    try:
        document = xmltodict.parse(text)
    except (ExpatError, ValueError) as exc:  # ValueError covers unencodable surrogates
        raise CallbackRejected(400, f"malformed XML: {exc}") from exc
    if _depth(document) > MAX_DEPTH:
        raise CallbackRejected(400, f"elements nested more than {MAX_DEPTH} deep")
    if "xml" not in document:
        raise CallbackRejected(400, f"root element is <{next(iter(document), '')}>, not <xml>")
    root = document["xml"]
    if not isinstance(root, dict):
        raise CallbackRejected(400, "root <xml> element has no children")
    return dict(root)


def extract_encrypt(body: str) -> str:
    """The ciphertext of the outer envelope ``<xml><ToUserName/><AgentID/><Encrypt/></xml>``."""
    encrypted = parse_xml(body).get("Encrypt")
    if not isinstance(encrypted, str) or not encrypted:
        raise CallbackRejected(400, "envelope has no Encrypt text")
    return encrypted
