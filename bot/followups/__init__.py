"""Follow-ups (module crm): creating them from plain Chinese, lists, and reminders."""
