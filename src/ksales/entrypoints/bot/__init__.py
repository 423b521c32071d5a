"""The Telegram bot (python-telegram-bot v22): handlers translate, services decide."""
