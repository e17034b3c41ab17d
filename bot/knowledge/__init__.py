"""The knowledge base (module ``knowledge``): articles, BM25 retrieval with synonyms, the
unanswered-question log and CSV / Markdown import."""
