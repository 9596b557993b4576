"""Create an editor: a staff account in the Editors group, who works in the admin."""

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

EDITORS = "Editors"


class Command(BaseCommand):
    help = (
        "Create an editor account (staff, in the Editors group). Asks for the password, or "
        "reads it from NEWSROOM_EDITOR_PASSWORD when run with --no-input."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    @transaction.atomic
    def handle(self, *args, username, email, interactive, verbosity, **options):
        User = get_user_model()
        editors = Group.objects.filter(name=EDITORS).first()
        if editors is None:
            raise CommandError(f"There is no {EDITORS!r} group: run manage.py migrate first.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account named {username!r}.")
        user = User(username=username, email=email, is_staff=True)
        try:
            if not username:
                raise ValidationError("The user name cannot be empty.")
            User._meta.get_field(User.USERNAME_FIELD).run_validators(username)
            if email:
                validate_email(email)
            password = self._password(interactive)
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user.set_password(password)
        user.save()
        user.groups.add(editors)
        if verbosity >= 1:
            self.stdout.write(f"Editor {username!r} created. Sign in at /admin/.")

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
