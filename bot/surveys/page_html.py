"""The survey page's HTML: a form that works on a phone without JavaScript, and the pages
that answer everything else (thanks, used, expired, unknown).

Every value that reaches the page goes through ``html.escape``; the stylesheet is a constant,
so the Content-Security-Policy can allow it by its hash and forbid everything else.
"""

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
h1{font-size:21px;line-height:1.4;margin:0 0 18px}
fieldset{border:0;margin:0 0 18px;padding:0}
legend{padding:0;margin-bottom:10px;font-weight:600}
.scores{display:grid;gap:10px}
.csat{grid-template-columns:1fr}
.nps{grid-template-columns:repeat(6,1fr)}
.score input{position:absolute;opacity:0;width:1px;height:1px}
.score span{display:flex;align-items:center;justify-content:center;gap:10px;min-height:52px;
padding:8px;border:2px solid #dee0e3;border-radius:12px;background:#fff;font-size:18px;
cursor:pointer;user-select:none;-webkit-tap-highlight-color:transparent}
.score b{font-size:20px}
.score input:checked+span{border-color:#1664ff;background:#e8f0ff;color:#1664ff}
.score input:focus-visible+span{outline:3px solid #1664ff;outline-offset:2px}
.ends{display:flex;justify-content:space-between;color:#646a73;font-size:14px;margin-top:6px}
label.comment{display:block;font-weight:600;margin-bottom:8px}
textarea{width:100%;min-height:110px;padding:12px;border:2px solid #dee0e3;border-radius:12px;
font:inherit;resize:vertical}
button{width:100%;min-height:54px;margin-top:18px;border:0;border-radius:12px;background:#1664ff;
color:#fff;font-size:19px;font-weight:600;cursor:pointer}
.error{background:#fff1f0;color:#c02a2a;border-radius:10px;padding:10px 12px;margin:0 0 14px}
.note{color:#646a73;font-size:14px;margin:14px 0 0}
.done{text-align:center}
.done .mark{font-size:46px;line-height:1;margin:6px 0 12px}
"""

_CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
# No script at all; styles only from the page's own stylesheet; the form posts only here.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

COMMENT_MAX = 500  # characters; the textarea says so and the server checks it


@dataclass(frozen=True, slots=True)
class SurveyForm:
    action: str
    organisation: str
    question: str
    scores: Sequence[tuple[int, str]]  # (score, label), lowest first
    nps: bool
    csrf: str
    comment: str = ""
    chosen: int | None = None
    error: str = ""


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="same-origin">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f'<body><main><div class="card">{body}</div></main></body></html>'
    )


def _score_button(score: int, label: str, form: SurveyForm) -> str:
    checked = " checked" if score == form.chosen else ""
    text = f"<b>{score}</b>" if form.nps else f"<b>{score}</b> {escape(label)}"
    return (
        f'<label class="score" for="score-{score}">'
        f'<input type="radio" id="score-{score}" name="score" value="{score}" required{checked}>'
        f"<span>{text}</span></label>"
    )


def survey_page(form: SurveyForm) -> str:
    # CSAT reads best first, as people scan top-down; NPS keeps its 0-10 order.
    scores = form.scores if form.nps else list(reversed(form.scores))
    buttons = "".join(_score_button(score, label, form) for score, label in scores)
    kind = "nps" if form.nps else "csat"
    ends = (
        '<div class="ends"><span>0 完全不可能</span><span>10 非常可能</span></div>'
        if form.nps
        else ""
    )
    error = f'<p class="error" role="alert">{escape(form.error)}</p>' if form.error else ""
    body = (
        f'<p class="org">{escape(form.organisation)}</p><h1>{escape(form.question)}</h1>{error}'
        f'<form method="post" action="{escape(form.action)}">'
        f'<input type="hidden" name="csrf" value="{escape(form.csrf)}">'
        f'<fieldset><legend>请选择评分</legend><div class="scores {kind}">{buttons}</div>{ends}'
        "</fieldset>"
        f'<label class="comment" for="comment">还想说点什么？（选填）</label>'
        f'<textarea id="comment" name="comment" maxlength="{COMMENT_MAX}" '
        f'placeholder="您的意见会直接转给负责的同事">{escape(form.comment)}</textarea>'
        '<button type="submit">提交评价</button></form>'
        '<p class="note">只能提交一次，提交后不能修改。</p>'
    )
    return _document("满意度调查", body)


def message_page(title: str, text: str, mark: str = "") -> str:
    shown = f'<p class="mark" aria-hidden="true">{escape(mark)}</p>' if mark else ""
    body = f'<div class="done">{shown}<h1>{escape(title)}</h1><p>{escape(text)}</p></div>'
    return _document(title, body)
