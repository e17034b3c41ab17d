"""The confirmation page's HTML: the job as the customer knows it, and one form with two
buttons (confirm, or ask for another time with a note). It works on a phone without
JavaScript; every value goes through ``html.escape`` and the stylesheet is a constant, so the
Content-Security-Policy allows it by its hash and forbids everything else."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1f2329;font:17px/1.5 -apple-system,"PingFang SC",
"Noto Sans CJK SC","Microsoft YaHei",sans-serif}
main{max-width:560px;margin:0 auto;padding:20px 16px 40px}
.card{background:#fff;border-radius:14px;padding:22px 18px;box-shadow:0 1px 3px rgba(0,0,0,.06)}
.org{color:#646a73;font-size:15px;margin:0 0 6px}
h1{font-size:21px;line-height:1.4;margin:0 0 14px}
dl{margin:0 0 18px;display:grid;grid-template-columns:auto 1fr;gap:6px 12px}
dt{color:#646a73}dd{margin:0}
label{display:block;font-weight:600;margin:18px 0 8px}
textarea{width:100%;min-height:96px;padding:12px;border:2px solid #dee0e3;border-radius:12px;
font:inherit;resize:vertical}
button{width:100%;min-height:54px;margin-top:12px;border:0;border-radius:12px;font-size:19px;
font-weight:600;cursor:pointer}
.yes{background:#1664ff;color:#fff}
.no{background:#fff;color:#1f2329;border:2px solid #dee0e3}
.error{background:#fff1f0;color:#c02a2a;border-radius:10px;padding:10px 12px;margin:0 0 14px}
.note{color:#646a73;font-size:14px;margin:14px 0 0}
.done{text-align:center}
.done .mark{font-size:46px;line-height:1;margin:6px 0 12px}
"""

_CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
NOTE_MAX = 300


@dataclass(frozen=True, slots=True)
class ConfirmForm:
    action: str
    organisation: str
    title: str
    facts: Sequence[tuple[str, str]]  # (what, value) shown to the customer
    confirm: str  # the confirm button's words
    other: str  # the reschedule button's words
    csrf: str
    note: str = ""
    error: str = ""


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="same-origin">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f'<body><main><div class="card">{body}</div></main></body></html>'
    )


def confirm_page(form: ConfirmForm) -> str:
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in form.facts)
    error = f'<p class="error" role="alert">{escape(form.error)}</p>' if form.error else ""
    body = (
        f'<p class="org">{escape(form.organisation)}</p><h1>{escape(form.title)}</h1>{error}'
        f"<dl>{facts}</dl>"
        f'<form method="post" action="{escape(form.action)}">'
        f'<input type="hidden" name="csrf" value="{escape(form.csrf)}">'
        f'<button class="yes" type="submit" name="answer" value="confirm">'
        f"{escape(form.confirm)}</button>"
        f'<label for="note">需要改时间或再次上门？写下原因或方便的时间</label>'
        f'<textarea id="note" name="note" maxlength="{NOTE_MAX}" '
        f'placeholder="例如：周六上午家里有人">{escape(form.note)}</textarea>'
        f'<button class="no" type="submit" name="answer" value="reschedule">'
        f"{escape(form.other)}</button></form>"
        '<p class="note">只能提交一次，提交后不能修改。</p>'
    )
    return _document(form.title, body)


def message_page(title: str, text: str, mark: str = "") -> str:
    shown = f'<p class="mark" aria-hidden="true">{escape(mark)}</p>' if mark else ""
    body = f'<div class="done">{shown}<h1>{escape(title)}</h1><p>{escape(text)}</p></div>'
    return _document(title, body)
