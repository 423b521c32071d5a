"""The Telegram Bot API, for what the bot framework does not do for us."""
