"""Thin entrypoints (CLI, web, bot) wired by one dependency-injector container."""
