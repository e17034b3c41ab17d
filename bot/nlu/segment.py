"""Chinese word segmentation with jieba, tuned for sales talk.

Building jieba's prefix dictionary takes about a second of CPU, so ``load_segmenter`` runs
once per process in a worker thread at start-up (see ``bot.app``), never on the event loop
and never on the first message. The domain dictionary keeps 回访, 工单, 满意度 and friends
whole; ``BAD_WORDS`` are entries of jieba's own dictionary that glue a name to the word before
it ("联系一下张总" would give 一下张 / 总). Customer and employee names, with their
surname+title forms, are added so "回访张总" yields 张总.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Iterable, Iterator

import jieba

from bot.nlu.names import TITLES

DOMAIN_WORDS = (
    "客户", "跟进", "回访", "拜访", "工单", "满意度", "续费", "席位", "待办", "报价", "报价单",
    "合同", "套餐", "欢迎语", "打标签", "去标签", "离职交接", "售后", "回款", "提醒我",
)  # fmt: skip
BAD_WORDS = ("一下张", "一下王", "一下李", "下张")
DOMAIN_FREQ = 20000
# jieba's dictionary holds 349,046 words; 72,489 of them are four characters or longer and were
# seen fewer than five times in its corpus (rare idioms, place and person names, classical
# phrases). They and their prefixes cost about 20 MB per process and none decides where a
# command word or a name ends, so they are left out. Short rare words stay: 开发票 (seen three
# times) is what keeps 开发票要什么 from being read as 开发 / 票要.
RARE_BELOW = 5
SHORT_WORD = 3
NAME_FREQ = 50000


class Segmenter:
    def __init__(self, tokenizer: jieba.Tokenizer) -> None:
        self._tokenizer = tokenizer
        self._names: set[str] = set()

    def words(self, text: str) -> list[str]:
        return [w for w in self._tokenizer.lcut(text) if w.strip()]

    def known_words(self, text: str) -> tuple[tuple[int, int], ...]:
        """Where the dictionary's words lie in ``text``, as (start, end) offsets. Pieces jieba
        only guessed at (查张 in 查张总, for a name it has not learned yet) are left out."""
        spans, start = [], 0
        for token in self._tokenizer.lcut(text):
            end = start + len(token)
            if len(token) > 1 and self._tokenizer.FREQ.get(token):
                spans.append((start, end))
            start = end
        return tuple(spans)

    def add_names(self, names: Iterable[str]) -> int:
        """Teach it people's names: 张伟 also as 张总, 张经理, 张姐, ...; returns how many
        it did not know yet."""
        learned = 0
        for raw in names:
            name = raw.strip()
            if not 2 <= len(name) <= 8 or name in self._names:
                continue
            learned += 1
            forms = [name] + ([name[0] + title for title in TITLES] if len(name) <= 3 else [])
            for form in forms:
                self._tokenizer.add_word(form, NAME_FREQ, "nr")
                self._names.add(form)
        return learned

    def names_in(self, text: str) -> list[str]:
        return [word for word in self.words(text) if word in self._names]


class _CommonWords:
    """jieba's dictionary file without its rare long words, read line by line: what
    ``Tokenizer.gen_pfdict`` reads (it iterates over byte lines and closes the file)."""

    name = "jieba/dict.txt"

    def __init__(self) -> None:
        self._file = open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), "rb")  # noqa: SIM115

    def __iter__(self) -> Iterator[bytes]:
        for line in self._file:
            word, freq = line.split(b" ", 2)[:2]
            if int(freq) >= RARE_BELOW or len(word.decode("utf-8")) <= SHORT_WORD:
                yield line

    def close(self) -> None:
        self._file.close()


def build_segmenter() -> Segmenter:
    """Blocking: builds jieba's dictionary. Call through ``asyncio.to_thread``."""
    jieba.setLogLevel(logging.WARNING)  # jieba prints its timing to stderr otherwise
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(_CommonWords())
    tokenizer.initialized = True
    for word in DOMAIN_WORDS:
        tokenizer.add_word(word, DOMAIN_FREQ)
    for word in BAD_WORDS:
        tokenizer.del_word(word)
    return Segmenter(tokenizer)


@functools.cache
def load_segmenter() -> Segmenter:
    """One segmenter per process: every app in it (tests start many) shares the dictionary."""
    return build_segmenter()
