from typing import Self

from django.db import models
from django.utils.translation import gettext_lazy as _


class OneRow(models.Model):
    """Settings editors change in the admin: one row, always row 1, read with ``load()``."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> Self:
        row, _ = cls.objects.get_or_create(pk=1)
        return row


class SignInPolicy(OneRow):
    """How editors sign in, set by a superuser in the admin (no one else may see or change it).

    One row; read with ``SignInPolicy.load()`` on every admin page, so a change takes effect
    at once in every process.
    """

    two_factor_required = models.BooleanField(
        _("require two-factor sign-in"),
        default=False,
        help_text=_(
            "Everyone who signs in to the admin must use a code from an authenticator app. "
            "Anyone who has not set one up is sent to do so before any other admin page."
        ),
    )

    class Meta:
        verbose_name = _("sign-in policy")
        verbose_name_plural = _("sign-in policy")

    def __str__(self) -> str:
        return str(_("Sign-in policy"))
