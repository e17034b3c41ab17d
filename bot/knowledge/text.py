"""Turning questions into search terms: normalising, jieba words, stop words.

Stop words are the words every question has (怎么, 如何, 吗, 我, 的): they say that something
is asked, not what, and BM25's IDF would only partly discount them in a small knowledge base
where they appear in half the questions.
"""

from __future__ import annotations

import re
import unicodedata

from bot.nlu.segment import Segmenter

_STOP_WORDS = """
    的 地 得 了 着 过 吗 呢 吧 啊 呀 哦 嘛 么 啦 哈 呗 噢 哇 喔
    我 你 您 他 她 它 我们 你们 他们 咱们 大家 自己 人家
    是 在 有 和 与 及 或 或者 还是 跟 同 并 并且 而 而且 但 但是 就 也 都 又 还 再 才 只 很 太
    把 被 给 对 向 从 让 用 以 为 于 由 往 到 里 上 下 中 内
    这 那 这个 那个 这些 那些 这样 那样 这么 那么 这种 那种 此 其 之 个 些 种 次 一下 一个
    怎么 怎么办 怎样 怎么样 如何 什么 为什么 为啥 啥 咋 咋办 哪 哪里 哪儿 哪个 哪些 几 多少
    请问 请 问 想 想要 要 需要 应该 应当 该 能 能够 可以 可不可以 能不能 会 会不会 是不是 有没有
    办 弄 搞 做 进行 一般 通常 时候 的话 现在 已经 老是 总是 一直 怎么回事 回事 情况 问题 知道
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())  # noqa: SIM905 (a word list reads best as text)
QUESTION_PREFIXES = ("请问", "麻烦问一下", "问一下", "想问一下", "想问", "咨询一下", "咨询")
_KEEP = re.compile(r"[0-9a-z\u4e00-\u9fff]")
_LIST_SEPARATORS = re.compile(r"[、,，;；/|\s]+")


def clean(text: str) -> str:
    """Full-width to half-width, lower case, no surrounding space: 'ＡＢＣ ' → 'abc'."""
    return unicodedata.normalize("NFKC", text).lower().strip()


def normalize_question(text: str) -> str:
    """The form unanswered questions are counted under: without punctuation, spaces or a
    polite prefix, so '请问，打印机卡纸怎么办？' and '打印机卡纸怎么办' count as one."""
    kept = "".join(ch for ch in clean(text) if _KEEP.match(ch))
    for prefix in QUESTION_PREFIXES:
        if kept.startswith(prefix) and len(kept) > len(prefix):
            kept = kept[len(prefix) :]
            break
    return kept[:255]


def is_term(word: str) -> bool:
    return word not in STOP_WORDS and _KEEP.search(word) is not None


def terms(text: str, segmenter: Segmenter) -> list[str]:
    """The words of ``text`` that carry meaning, in order (repeats kept: BM25 counts them)."""
    return [w for w in segmenter.words(clean(text)) if is_term(w)]


def split_list(text: str) -> list[str]:
    """'打印机、卡纸, 夹纸' → ['打印机', '卡纸', '夹纸'], without repeats."""
    return list(dict.fromkeys(p for p in _LIST_SEPARATORS.split(text.strip()) if p))
