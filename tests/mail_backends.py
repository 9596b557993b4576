"""Email backends for tests that run the worker as its own process."""

import os
import time

from django.core.mail.backends import filebased


class SlowFileBackend(filebased.EmailBackend):
    """Django's file backend, one file per email, into ``NEWSROOM_TEST_MAIL_DIR``; each email
    takes ``NEWSROOM_TEST_MAIL_SECONDS`` to send, as a real mail server's round trip does, so
    that a test can stop the worker between two of them."""

    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ["NEWSROOM_TEST_MAIL_DIR"]
        super().__init__(*args, **kwargs)

    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("NEWSROOM_TEST_MAIL_SECONDS", "0.4")))
        return super().send_messages(email_messages)
