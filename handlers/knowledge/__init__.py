"""The knowledge base: answers for employees and customers, kept by admins."""

from bot.capability import Capability
from handlers.knowledge import admin, questions

capability = Capability(
    name="knowledge",
    title="知识库",
    module="knowledge",
    routers=(questions.router, admin.router),
    config="knowledge",
)
