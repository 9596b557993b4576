"""Create a contributor: a staff account in the Contributors group, who writes drafts in the
admin and submits them for an editor to publish."""

from articles.management.commands import createeditor

CONTRIBUTORS = "Contributors"


class Command(createeditor.Command):
    help = (
        "Create a contributor account (staff, in the Contributors group: writes drafts and "
        "submits them for review). --byline gives them their author profile. Asks for the "
        "password, or reads it from NEWSROOM_EDITOR_PASSWORD when run with --no-input."
    )
    group = CONTRIBUTORS
    role = "Contributor"
