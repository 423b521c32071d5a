"""SQLite adapters: the users of the bot and the dashboard."""
