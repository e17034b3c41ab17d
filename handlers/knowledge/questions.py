"""The knowledge base for everyone: 问, 知识 12 and 知识列表 (同义词 is in
``handlers.knowledge.admin``, beside the admins' version)."""

from __future__ import annotations

import re

from bot.config import Settings
from bot.dispatch.access import ALL_CHATS
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.knowledge import phrasings
from bot.knowledge.retrieval import DEFAULT_MIN_SCORE, answer
from bot.knowledge.store import by_number, categories
from bot.knowledge.wording import (
    UNCATEGORISED,
    categories_line,
    list_line,
    render_answer,
    render_article,
)
from bot.nlu.segment import Segmenter
from models.knowledge import Article

router = Router(__name__, title="知识库", module="knowledge")

ASK_USAGE = "请写要问的问题，例如：问 打印机卡纸怎么办"
NO_ANSWER = (
    "知识库里还没有「{question}」的答案，已记下来请管理员补充。\n"
    "可以换个说法再问，或发送「知识列表」看看有哪些问题。"
)
SHOW_USAGE = (
    "请写知识的编号，例如：知识 12\n"
    "知识库的用法：问 打印机卡纸怎么办、知识列表、知识列表 分类名、同义词"
)
NO_ARTICLE = "没有编号为 {number} 的知识。发送「知识列表」查看所有知识。"
LIST_EMPTY = "知识库还是空的。管理员可以发送「添加知识 问：… 答：…」添加第一条。"
LIST_HEADER = "知识库（共 {total} 条，第 {page}/{pages} 页）："
LIST_CATEGORY_HEADER = "分类「{category}」（共 {total} 条，第 {page}/{pages} 页）："
LIST_CATEGORIES = "分类：{categories}"
LIST_NEXT = "发送「知识列表 {next}」看下一页。"
LIST_FOOTER = "发送「知识 编号」查看答案，「知识列表 分类名」只看一个分类。"
NO_PAGE = "没有第 {page} 页：共 {pages} 页。"
NO_CATEGORY = "没有「{category}」这个分类。现有分类：{categories}"
ARTICLE_NUMBER = re.compile(r"[#第]?\s*(?P<number>\d+)\s*(?:号|条|篇)?")
PAGE_SIZE = 20
ASK_LIMIT = 200


def min_score(ctx: Context) -> float:
    settings: Settings | None = ctx.deps.get("settings")
    return settings.knowledge.min_score if settings else DEFAULT_MIN_SCORE


@router.command(
    "问",
    "提问",
    "ask",
    chats=ALL_CHATS,
    slots=("question",),
    examples=phrasings.ASK_EXAMPLES,
    phrasings=phrasings.ASK,
)
async def ask(ctx: Context) -> str:
    """在知识库里找答案，例如：问 打印机卡纸怎么办"""
    question = ctx.args.strip()
    if not question:
        return ASK_USAGE
    segmenter: Segmenter = ctx.deps["segmenter"]
    found = await answer(
        ctx.tenant.id,
        question[:ASK_LIMIT],
        segmenter,
        channel=ctx.update.channel.value,
        now=ctx.clock.now(),
        min_score=min_score(ctx),
    )
    if found.hit is None:
        return NO_ANSWER.format(question=question[:40])
    return render_answer(found)


@router.command(
    "知识列表",
    "kb list",
    chats=ALL_CHATS,
    slots=("category", "page"),
    examples=phrasings.LIST_EXAMPLES,
    phrasings=phrasings.LIST,
)
async def list_articles(ctx: Context) -> str:
    """看知识库里的问题，可按分类：知识列表 打印机"""
    words = ctx.args.split()
    page = int(words.pop()) if words and words[-1].isdigit() else 1
    category = " ".join(words)
    counts = await categories(ctx.tenant.id)
    query = Article.filter(tenant_id=ctx.tenant.id)
    if category:
        stored = "" if category == UNCATEGORISED else category
        if stored not in {name for name, _ in counts}:
            raise UserFacingError(
                NO_CATEGORY.format(category=category, categories=categories_line(counts))
            )
        query = query.filter(category=stored)
    total = await query.count()
    if not total:
        return LIST_EMPTY
    pages = -(-total // PAGE_SIZE)
    if not 1 <= page <= pages:
        raise UserFacingError(NO_PAGE.format(page=page, pages=pages))
    rows = await query.order_by("number").offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    if category:
        lines = [
            LIST_CATEGORY_HEADER.format(category=category, total=total, page=page, pages=pages)
        ]
    else:
        lines = [LIST_HEADER.format(total=total, page=page, pages=pages)]
        lines.append(LIST_CATEGORIES.format(categories=categories_line(counts)))
    lines += [list_line(row, show_category=not category) for row in rows]
    if page < pages:
        lines.append(LIST_NEXT.format(next=f"{category} {page + 1}".strip()))
    lines.append(LIST_FOOTER)
    return "\n".join(lines)


@router.command(
    "知识",
    "知识库",
    "kb show",
    chats=ALL_CHATS,
    slots=("number",),
    # 知识 12 shows article 12 (知识库怎么用 gets its usage); "知识3过时了，先别用了" is about
    # article 3, not a request to see it
    args_like=re.compile(rf"(?:{ARTICLE_NUMBER.pattern}|怎么用|用法|帮助|说明)[\s。.!！?？]*$"),
    examples=phrasings.SHOW_EXAMPLES,
    phrasings=phrasings.SHOW,
)
async def show_article(ctx: Context) -> str:
    """看一条知识的完整内容：知识 12"""
    named = ARTICLE_NUMBER.fullmatch(ctx.args.strip())
    if named is None:
        return SHOW_USAGE
    number = named["number"]
    article = await by_number(ctx.tenant.id, int(number))
    if article is None:
        raise UserFacingError(NO_ARTICLE.format(number=number))
    return render_article(article, ctx.tenant.timezone)
