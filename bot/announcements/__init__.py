"""Upgrade announcements: the provider drafts, schedules, publishes and revokes them; each
tenant's admins get a card with 知道了 (the read receipt); members read them with 公告."""
