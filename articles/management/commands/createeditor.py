"""Create an editor: a staff account in the Editors group, who works in the admin."""

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from articles.models import Author

EDITORS = "Editors"


class Command(BaseCommand):
    help = (
        "Create an editor account (staff, in the Editors group). Asks for the password, or "
        "reads it from NEWSROOM_EDITOR_PASSWORD when run with --no-input."
    )
    group = EDITORS
    role = "Editor"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--byline",
            default="",
            help="The name their articles go out under: their author profile, made if needed.",
        )
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    @transaction.atomic
    def handle(self, *args, username, email, byline, interactive, verbosity, **options):
        User = get_user_model()
        group = Group.objects.filter(name=self.group).first()
        if group is None:
            raise CommandError(f"There is no {self.group!r} group: run manage.py migrate first.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account named {username!r}.")
        user = User(username=username, email=email, is_staff=True)
        try:
            if not username:
                raise ValidationError("The user name cannot be empty.")
            User._meta.get_field(User.USERNAME_FIELD).run_validators(username)
            if email:
                validate_email(email)
            author = self._author(byline)
            password = self._password(interactive)
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user.set_password(password)
        user.save()
        user.groups.add(group)
        if author is not None:
            author.user = user
            author.save()
        if verbosity >= 1:
            self.stdout.write(f"{self.role} {username!r} created. Sign in at /admin/.")

    def _author(self, byline: str) -> Author | None:
        """The author profile called ``byline``: an existing one nobody writes as, or new."""
        byline = byline.strip()
        if not byline:
            return None
        slug = slugify(byline)
        if not slug:
            raise ValidationError("The byline needs letters or digits for its page's address.")
        author = Author.objects.filter(slug=slug).first() or Author(name=byline, slug=slug)
        if author.user_id is not None:
            raise ValidationError(f"Another account already writes as {author.name!r}.")
        return author

    def _password(self, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get("NEWSROOM_EDITOR_PASSWORD", "")
            if not password:
                raise CommandError("Set NEWSROOM_EDITOR_PASSWORD, or run without --no-input.")
            return password
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password
