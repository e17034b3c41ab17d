"""The SCRM provider's side: how each client enterprise uses the bot, day by day."""
