"""Retrieval quality on the evaluation set in ``bench/knowledge_eval/``.

    .venv/bin/python bench/knowledge_eval.py

25 articles of an office-equipment dealer's after-sales and sales FAQ (``articles.csv``, read
by the same importer as ``scrm-bot kb import``), 48 questions as customers and employees
really word them with the article that answers each (``questions.csv``), a tenant's synonym
list (``synonyms.txt``) and 12 questions the base has no answer for (``out_of_scope.txt``).
Prints top-1 accuracy with and without the synonyms, the misses, and for a range of
thresholds how many questions would be answered rightly, wrongly, or not at all.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.knowledge.forms import parse_synonyms  # noqa: E402
from bot.knowledge.importing import parse_file  # noqa: E402
from bot.knowledge.index import ArticleDoc, KnowledgeIndex, SynonymTable  # noqa: E402
from bot.knowledge.text import terms  # noqa: E402
from bot.nlu.segment import Segmenter, load_segmenter  # noqa: E402

HERE = Path(__file__).resolve().parent / "knowledge_eval"
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)


def lines(name: str) -> list[str]:
    text = (HERE / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def build(segmenter: Segmenter, with_synonyms: bool) -> KnowledgeIndex:
    rows = parse_file(HERE / "articles.csv").rows
    docs = [
        ArticleDoc(n, n, r.fields.question or "", r.fields.keywords or "", r.fields.answer or "",
                   r.fields.category or "")
        for n, r in enumerate(rows, start=1)
    ]  # fmt: skip
    forms = [parse_synonyms(line) for line in lines("synonyms.txt")] if with_synonyms else []
    groups = [[form.word, *form.synonyms] for form in forms]

    def tokenize(text: str) -> list[str]:
        return terms(text, segmenter)

    return KnowledgeIndex(docs, tokenize, SynonymTable(groups, tokenize))


def evaluate(index: KnowledgeIndex, label: str) -> None:
    with (HERE / "questions.csv").open(encoding="utf-8") as f:
        cases = [(row["提问"], row["应答知识"]) for row in csv.DictReader(f)]
    tops = [(q, want, (index.search(q, limit=1) or [None])[0]) for q, want in cases]
    right = [t for t in tops if t[2] is not None and t[2].doc.question == want_of(t)]
    print(f"\n== {label}: top-1 accuracy {len(right)}/{len(cases)} = {len(right) / len(cases):.1%}")
    for question, want, top in tops:
        if top is None or top.doc.question != want:
            got = f"{top.doc.question} ({top.score:.2f})" if top else "nothing"
            print(f"   miss: {question} → {got}; expected {want}")
    outside = [(index.search(q, limit=1) or [None])[0] for q in lines("out_of_scope.txt")]
    print("   threshold  answered right  answered wrong  unanswered  out-of-scope answered")
    for threshold in THRESHOLDS:
        kept = [t for t in tops if t[2] is not None and t[2].score >= threshold]
        good = sum(1 for t in kept if t[2] is not None and t[2].doc.question == want_of(t))
        wrong_outside = sum(1 for s in outside if s is not None and s.score >= threshold)
        print(
            f"   {threshold:>9.2f}  {good:>14}  {len(kept) - good:>14}  "
            f"{len(cases) - len(kept):>10}  {wrong_outside:>12}/{len(outside)}"
        )


def want_of(case: tuple[str, str, object]) -> str:
    return case[1]


def main() -> None:
    segmenter = load_segmenter()
    evaluate(build(segmenter, with_synonyms=True), "with the tenant's synonyms")
    evaluate(build(segmenter, with_synonyms=False), "without synonyms")


if __name__ == "__main__":
    main()
