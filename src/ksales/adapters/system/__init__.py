"""Adapters to the operating system: the real clock."""
