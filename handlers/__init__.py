"""Handler modules, one per capability, each exposing a ``router``.

``routers()`` is the one place they are included, in the order the dispatcher tries them:
specific commands first, the catch-all hint last.
"""

from __future__ import annotations

from bot.dispatch.router import Router
from handlers.admin import members as members
from handlers.admin import settings as admin_settings
from handlers.admin import team as admin
from handlers.core import help as help_handlers
from handlers.crm import customers as customers
from handlers.crm import events as customer_events
from handlers.crm import group_events as customer_group_events
from handlers.crm import pick as customer_pick
from handlers.crm import tags as customer_tags
from handlers.crm import transfers as customer_transfers
from handlers.crm import welcome as customer_welcome
from handlers.followups import cards as followup_cards
from handlers.followups import create as followups
from handlers.followups import lists as followup_lists
from handlers.kf import customers as kf
from handlers.knowledge import admin as knowledge_admin
from handlers.knowledge import questions as knowledge
from handlers.reports import daily as reports
from handlers.subscription import changes as plan_changes
from handlers.subscription import plan as subscription
from handlers.subscription import purchases as purchases
from handlers.surveys import reports as survey_reports
from handlers.surveys import send as surveys
from handlers.tickets import attachments as ticket_attachments
from handlers.tickets import cards as ticket_cards
from handlers.tickets import create as tickets
from handlers.tickets import reports as ticket_reports
from handlers.tickets import work as ticket_work


def routers() -> list[Router]:
    return [
        kf.router,  # 微信客服 customers first: no employee command may answer them
        help_handlers.router,
        admin.router,  # 取消管理员 before the follow-ups' 取消
        subscription.router,
        purchases.router,
        customer_pick.router,  # a numbered choice answers the list just shown
        ticket_cards.router,  # 转派's "转给谁？" before the follow-ups' 取消
        ticket_attachments.router,  # its 完成 / 取消 before the follow-ups' commands
        tickets.router,
        ticket_work.router,
        ticket_attachments.command_router,
        ticket_reports.router,
        followups.router,  # the answer to "which 张总?" / "when?"
        followup_lists.router,
        followup_cards.router,
        customers.router,
        customer_tags.router,
        customer_transfers.router,
        customer_welcome.router,
        customer_events.router,
        customer_group_events.router,
        members.router,
        surveys.router,
        survey_reports.router,
        admin_settings.router,  # 设置 after 设置欢迎语, which has its own replies
        reports.router,
        knowledge.router,
        knowledge_admin.router,
        plan_changes.router,  # after 停用知识
        customers.search_router,  # the bare 查 comes after every other 查… command
        purchases.reprompt_router,  # a quote waiting for 确认 / 取消 hears about it
        followups.create_router,  # "…提醒我…" that no command took
        # Before the hint: text that names a module the plan lacks gets that module's price.
        subscription.locked_router,
        help_handlers.fallback_router,
    ]
