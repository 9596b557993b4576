#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

On a developer's machine, ``make run`` writes ``.env`` (debug on, the site's address with its
port), so that ``manage.py createsuperuser`` and every other command work afterwards with no
variables to remember. It is read only here, only to fill what the environment leaves unset,
and never when the environment sets ``DJANGO_SECRET_KEY``: production always does (settings
refuse to start without it), and so do ``make serve`` and the test suite. gunicorn and pytest
never read it.
"""

import os
import sys
from pathlib import Path

LOCAL_ENV = Path(__file__).resolve().parent / ".env"


def read_local_env(path: Path = LOCAL_ENV) -> None:
    """Fill the environment's unset variables from ``path`` (``NAME=value`` lines)."""
    if os.environ.get("DJANGO_SECRET_KEY") or not path.is_file():
        return
    for line in path.read_text().splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and not name.startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


def main():
    read_local_env()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
