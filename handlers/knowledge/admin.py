"""Keeping the knowledge base (admins): 添加知识, 修改知识, 停用 / 启用知识, 同义词 and
未命中问题. The dispatcher tells everyone else these are for admins, except 同义词, which
shows everyone the list."""

from __future__ import annotations

import re

from bot.dispatch.access import ALL_CHATS
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.knowledge import phrasings
from bot.knowledge.forms import FormError, parse_article, parse_synonyms
from bot.knowledge.store import (
    MAX_SYNONYMS,
    ArticleError,
    ArticleFields,
    DuplicateQuestion,
    add_article,
    by_number,
    set_enabled,
    set_synonyms,
    synonym_groups,
    synonyms_of,
    update_article,
)
from bot.knowledge.unanswered import most_missed
from bot.knowledge.wording import missed_lines, render_article
from models.knowledge import Article
from models.tenants import Role

ADMINS = (Role.ADMIN,)

router = Router(__name__, title="知识库", module="knowledge")

ADD_USAGE = (
    "请按这个格式写：添加知识 问：打印机卡纸怎么办 答：先关闭电源，打开前盖取出卡纸\n"
    "还可以加上 关键词：卡纸、夹纸 和 分类：打印机"
)
EDIT_USAGE = (
    "请按这个格式写：修改知识 12 答：新的答案\n"
    "问：、答：、关键词：、分类： 只写要改的部分（写「分类：」不跟内容就是清空）"
)
TOGGLE_USAGE = "请写知识的编号，例如：{command} 12"
SYNONYM_USAGE = (
    "请按这个格式写：同义词 打印机 = 打印设备, 复印机\n删除一个词的同义词：同义词 打印机 ="
)
ADDED = "已添加知识 #{number}：{question}\n员工发送「问 {question}」或换个说法都能找到它。"
EDITED = "已修改：\n{card}"
DISABLED = (
    "已停用知识 #{number}「{question}」：提问时不会再用它回答。发送「启用知识 {number}」恢复。"
)
ENABLED = "已启用知识 #{number}「{question}」。"
ALREADY = "知识 #{number} 本来就是{state}状态。"
NO_ARTICLE = "没有编号为 {number} 的知识。发送「知识列表」查看所有知识。"
DUPLICATE_HINT = "发送「知识 {number}」查看，或「修改知识 {number} 答：…」修改它。"
SYNONYMS_SAVED = "已设置同义词：{word} = {synonyms}\n提问时这些词视为同一个意思。"
SYNONYMS_REMOVED = "已删除「{word}」的同义词。"
SYNONYMS_FULL = "「{word}」的同义词加上这些就太多了（合计最多 {limit} 个字），请先删掉一些。"
# 添加同义词 adds to the word's synonyms; 设置同义词 (and 同义词) replaces them.
_ADDING = ("添加同义词", "加同义词", "新增同义词")
SYNONYMS_MISSING = "「{word}」没有设置同义词。"
MISSED_HEADER = "最常问却没有答案的问题："
MISSED_FOOTER = "用「添加知识 问：… 答：…」补上答案，问题就会从这里消失。"
MISSED_EMPTY = "还没有找不到答案的问题。"
SYNONYMS_HEADER = "同义词（提问时视为同一个意思）："
SYNONYM_LINE = "· {word} = {synonyms}"
SYNONYMS_EMPTY = "还没有设置同义词。管理员可以发送「同义词 打印机 = 打印设备, 复印机」添加。"
SYNONYMS_ADMINS_ONLY = "只有管理员可以设置同义词。发送「同义词」查看现有的同义词。"
_NUMBERED = re.compile(r"^#?(?P<number>\d+)(?P<rest>.*)$", re.S)


def _who(ctx: Context) -> str:
    return ctx.update.user_id or ""


def _article_error(exc: ArticleError, usage: str) -> UserFacingError:
    if isinstance(exc, DuplicateQuestion):
        return UserFacingError(f"{exc}\n{DUPLICATE_HINT.format(number=exc.number)}")
    return UserFacingError(f"{exc}\n{usage}")


@router.command(
    *phrasings.ADD_WORDS,
    "kb add",
    roles=ADMINS,
    chats=ALL_CHATS,
    slots=("question", "answer"),
    examples=phrasings.ADD_EXAMPLES,
    phrasings=phrasings.ADD,
)
async def add(ctx: Context) -> str:
    """（管理员）添加知识：添加知识 问：… 答：… 关键词：… 分类：…"""
    try:
        fields = parse_article(ctx.args)
        if not fields.question or not fields.answer:
            raise FormError("问题和答案都要写。")
        article = await add_article(ctx.tenant.id, fields, _who(ctx), ctx.clock.now())
    except FormError as exc:
        raise UserFacingError(f"{exc}\n{ADD_USAGE}") from exc
    except ArticleError as exc:
        raise _article_error(exc, ADD_USAGE) from exc
    return ADDED.format(number=article.number, question=article.question)


async def _numbered(ctx: Context, usage: str) -> tuple[Article, str]:
    match = _NUMBERED.match(ctx.args.strip())
    if match is None:
        raise UserFacingError(usage)
    article = await by_number(ctx.tenant.id, int(match.group("number")))
    if article is None:
        raise UserFacingError(NO_ARTICLE.format(number=match.group("number")))
    return article, match.group("rest").strip()


@router.command(
    *phrasings.EDIT_WORDS,
    "kb edit",
    roles=ADMINS,
    chats=ALL_CHATS,
    slots=("number", "question", "answer", "category", "keywords", "changes"),
    examples=phrasings.EDIT_EXAMPLES,
    phrasings=phrasings.EDIT,
)
async def edit(ctx: Context) -> str:
    """（管理员）修改知识：修改知识 12 答：新的答案"""
    article, rest = await _numbered(ctx, EDIT_USAGE)
    try:
        fields = parse_article(rest)
        if fields == ArticleFields():
            raise FormError("要写改哪一部分。")
        await update_article(article, fields, _who(ctx), ctx.clock.now())
    except FormError as exc:
        raise UserFacingError(f"{exc}\n{EDIT_USAGE}") from exc
    except ArticleError as exc:
        raise _article_error(exc, EDIT_USAGE) from exc
    return EDITED.format(card=render_article(article, ctx.tenant.timezone))


async def _toggle(ctx: Context, command: str, enabled: bool) -> str:
    article, rest = await _numbered(ctx, TOGGLE_USAGE.format(command=command))
    if rest:
        raise UserFacingError(TOGGLE_USAGE.format(command=command))
    if article.enabled == enabled:
        return ALREADY.format(number=article.number, state="启用" if enabled else "停用")
    await set_enabled(article, enabled, _who(ctx), ctx.clock.now())
    done = ENABLED if enabled else DISABLED
    return done.format(number=article.number, question=article.question)


@router.command(
    *phrasings.DISABLE_WORDS,
    "kb disable",
    roles=ADMINS,
    chats=ALL_CHATS,
    slots=("number",),
    examples=phrasings.DISABLE_EXAMPLES,
    phrasings=phrasings.DISABLE,
)
async def disable(ctx: Context) -> str:
    """（管理员）停用一条知识：停用知识 12"""
    return await _toggle(ctx, "停用知识", enabled=False)


@router.command(
    *phrasings.ENABLE_WORDS,
    "kb enable",
    roles=ADMINS,
    chats=ALL_CHATS,
    slots=("number",),
    examples=phrasings.ENABLE_EXAMPLES,
    phrasings=phrasings.ENABLE,
)
async def enable(ctx: Context) -> str:
    """（管理员）重新启用知识：启用知识 12"""
    return await _toggle(ctx, "启用知识", enabled=True)


def _lists(args: str) -> bool:
    """同义词, 同义词列表, 同义词有哪些: asking to see them."""
    return not args.strip() or re.fullmatch(phrasings.LISTING, args.strip()) is not None


async def render_synonyms(tenant_id: int) -> str:
    groups = await synonym_groups(tenant_id)
    if not groups:
        return SYNONYMS_EMPTY
    lines = [SYNONYMS_HEADER]
    lines += [SYNONYM_LINE.format(word=g[0], synonyms="、".join(g[1:])) for g in groups]
    return "\n".join(lines)


# Admins' 同义词 first (priority): the dispatcher gives everyone else's to show_synonyms.
# Its own words (设置同义词, ...) are only ever a change, so members hear they are for admins.
@router.command(
    "同义词",
    *phrasings.SYNONYM_WORDS,
    "synonyms",
    roles=ADMINS,
    chats=ALL_CHATS,
    priority=1,
    slots=("word", "synonyms"),
    examples=phrasings.SYNONYM_EXAMPLES,
    phrasings=phrasings.SYNONYMS,
)
async def synonyms(ctx: Context) -> str:
    """看或设置同义词：同义词 打印机 = 打印设备, 复印机"""
    if _lists(ctx.args):
        return await render_synonyms(ctx.tenant.id)
    try:
        form = parse_synonyms(ctx.args)
    except FormError as exc:
        raise UserFacingError(f"{exc}\n{SYNONYM_USAGE}") from exc
    wanted = form.synonyms
    if wanted and ctx.update.text.lstrip().startswith(_ADDING):
        wanted = list(dict.fromkeys([*await synonyms_of(ctx.tenant.id, form.word), *wanted]))
        if len("、".join(wanted)) > MAX_SYNONYMS:
            raise UserFacingError(SYNONYMS_FULL.format(word=form.word, limit=MAX_SYNONYMS))
    changed = await set_synonyms(ctx.tenant.id, form.word, wanted, _who(ctx), ctx.clock.now())
    if wanted:
        return SYNONYMS_SAVED.format(word=form.word, synonyms="、".join(wanted))
    return (SYNONYMS_REMOVED if changed else SYNONYMS_MISSING).format(word=form.word)


@router.command(
    "同义词",
    "synonyms",
    chats=ALL_CHATS,
    help="",
    examples=phrasings.SHOW_SYNONYMS_EXAMPLES,
    phrasings=phrasings.SHOW_SYNONYMS,
    # Anything after 同义词: a member trying to set some hears why not (show_synonyms).
    args_like=re.compile(""),
)
async def show_synonyms(ctx: Context) -> str:
    if not _lists(ctx.args):
        return SYNONYMS_ADMINS_ONLY
    return await render_synonyms(ctx.tenant.id)


@router.command(
    *phrasings.MISSES_WORDS,
    "kb misses",
    roles=ADMINS,
    chats=ALL_CHATS,
    examples=phrasings.MISSES_EXAMPLES,
    phrasings=phrasings.MISSES,
)
async def misses(ctx: Context) -> str:
    """（管理员）看最常问却没有答案的问题"""
    missed = await most_missed(ctx.tenant.id)
    if not missed:
        return MISSED_EMPTY
    return "\n".join([MISSED_HEADER, *missed_lines(missed, ctx.tenant.timezone), MISSED_FOOTER])
