"""Application services: one place per use case, talking only to ports."""
