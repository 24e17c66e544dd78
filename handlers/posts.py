"""`/posts` (placeholder until the next commit)."""


def register(app) -> None:
    pass
