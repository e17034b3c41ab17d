"""Running a tenant from chat: roles, the audit log, members and settings."""
