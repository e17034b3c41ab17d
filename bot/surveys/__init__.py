"""Satisfaction surveys: templates, creating one per trigger, answers, alerts, expiry."""
