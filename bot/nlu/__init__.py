"""Understanding what sales people type: time expressions now, intents and slots alongside."""
