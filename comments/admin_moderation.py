"""Admin pages for acting on one comment from the moderator's email (being written)."""


def urls(model_admin) -> list:
    return []
