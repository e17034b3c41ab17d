"""The knowledge base: answers for employees and customers, kept by admins."""

from bot.capability import Capability
from handlers.knowledge import admin, plain_questions, questions

capability = Capability(
    name="knowledge",
    title="知识库",
    module="knowledge",
    routers=(
        questions.router,
        admin.router,
        plain_questions.router,
        plain_questions.unanswered_router,
    ),
    config="knowledge",
)
