"""The operator console: read-only pages for the provider's operators, opened by a one-time
link the bot sends in chat (``控制台``)."""
