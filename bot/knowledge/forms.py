"""Reading what admins type: 问：… 答：… 关键词：… 分类：… and 打印机 = 打印设备, 复印机.

An article written like a document (标题：… 内容：…) reads the same as 问：… 答：…."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge.store import MAX_SYNONYMS, ArticleFields
from bot.knowledge.text import split_list

# A label starts the text or follows a space or a stop, so 疑问：in an answer is no label.
# A bare label may end the text: chat commands lose a trailing colon ("修改知识 3 分类：").
# 标题 and 内容 are common words inside an answer, so they count only with their colon.
_LABEL = re.compile(
    r"(?:^|(?<=[\s;；，,。]))(?:(问题|问|答案|答|关键词|分类)\s*(?:[：:]|$)|(标题|内容)\s*[：:])"
)
LABELS = {"问题": "question", "问": "question", "标题": "question"}
LABELS |= {"答案": "answer", "答": "answer", "内容": "answer"}
LABELS |= {"关键词": "keywords", "分类": "category"}
LABEL_NAMES = {"question": "问", "answer": "答", "keywords": "关键词", "category": "分类"}
_SYNONYM = re.compile(r"^(?P<word>[^=＝]*)[=＝](?P<rest>.*)$", re.S)
MAX_WORD = 32
UNLABELLED = "看不懂「{text}」：每部分前面要写 问：、答：、关键词：或 分类："


class FormError(ValueError):
    """What is wrong with the form, in words for the user (the caller adds the usage)."""


def parse_article(text: str) -> ArticleFields:
    """The labelled parts of ``text``; text before the first label is an error."""
    found = list(_LABEL.finditer(text))
    head = text[: found[0].start()] if found else text
    if head.strip():
        raise FormError(
            f"看不懂「{head.strip()[:20]}」：每部分前面要写 问：、答：、关键词：或 分类："
        )
    values: dict[str, str] = {}
    for i, match in enumerate(found):
        name = LABELS[match.group(1) or match.group(2)]
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        if name in values:
            raise FormError(f"「{LABEL_NAMES[name]}：」写了两次。")
        # the comma that separates one part from the next ("标题：退款，内容：…") is not its own
        values[name] = text[match.end() : end].strip().rstrip("，,；;").strip()
    return ArticleFields(**values)


@dataclass(frozen=True, slots=True)
class SynonymForm:
    word: str
    synonyms: list[str]  # empty: remove the word's synonyms


def parse_synonyms(text: str) -> SynonymForm:
    match = _SYNONYM.match(text.strip())
    if match is None:
        raise FormError("要用「=」把词和它的同义词隔开。")
    word = match.group("word").strip()
    if not word or len(split_list(word)) != 1:
        raise FormError("「=」前面写一个词。")
    synonyms = [s for s in split_list(match.group("rest")) if s != word]
    if any(len(w) > MAX_WORD for w in [word, *synonyms]):
        raise FormError(f"每个词最多 {MAX_WORD} 个字。")
    if len("、".join(synonyms)) > MAX_SYNONYMS:
        raise FormError(f"同义词太多了（合计最多 {MAX_SYNONYMS} 个字）。")
    return SynonymForm(word, synonyms)
