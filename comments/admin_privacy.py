"""The admin's privacy tool: export and erase one person's comments, whatever their status.

One page asks for an email address and says how many comments carry it; from there an
editor downloads them as JSON (needs view permission) or erases them (needs change
permission, and a confirmation). Addresses travel in POST bodies, never in URLs, so they
stay out of access logs and browser history.
"""

import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from comments import privacy, services
from comments.models import EMAIL_MAX_LENGTH, Comment, Subscription

ERASED_MESSAGE = "Personal data erased on request."


class PrivacyRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("Matched in any case, in approved, pending, spam and trashed comments."),
    )


def urls(model_admin) -> list:
    wrap = model_admin.admin_site.admin_view
    kwargs = {"model_admin": model_admin}
    return [
        path("privacy/", wrap(privacy_request), kwargs, name="comments_comment_privacy"),
        path(
            "privacy/export/",
            wrap(require_POST(export)),
            kwargs,
            name="comments_comment_privacy_export",
        ),
        path(
            "privacy/erase/",
            wrap(require_POST(erase)),
            kwargs,
            name="comments_comment_privacy_erase",
        ),
    ]


def privacy_request(request: HttpRequest, model_admin) -> HttpResponse:
    """The form; after a look-up (POST, which changes nothing), the counts and the buttons."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = PrivacyRequestForm(request.POST if request.method == "POST" else None)
    return _render(request, "form.html", _context(request, model_admin, form))


def export(request: HttpRequest, model_admin) -> HttpResponse:
    """Every comment carrying the address, as a JSON download."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = PrivacyRequestForm(request.POST)
    if not form.is_valid():
        return _render(request, "form.html", _context(request, model_admin, form), status=400)
    email = form.cleaned_data["email"]
    data = {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "comments": privacy.export_comments(email),
        "follow_up_subscriptions": privacy.export_subscriptions(email),
    }
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    filename = "comments-{}.json".format(re.sub(r"[^\w.@+-]", "_", email, flags=re.ASCII))
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def erase(request: HttpRequest, model_admin) -> HttpResponse:
    """First say exactly what erasing will do; with ``confirm``, anonymise and log each."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    form = PrivacyRequestForm(request.POST)
    context = _context(request, model_admin, form)
    if not form.is_valid():
        return _render(request, "form.html", context, status=400)
    email = form.cleaned_data["email"]
    if request.POST.get("confirm") != "yes":
        context |= {
            "title": _("Erase personal data"),
            "comments": privacy.comments_of(email).select_related("article"),
        }
        return _render(request, "confirm_erase.html", context)
    with transaction.atomic():
        erasure = services.erase_personal_data(email)
        for comment in erasure.comments:
            model_admin.log_change(request, comment, ERASED_MESSAGE)
    count, unsubscribed = len(erasure.comments), erasure.subscriptions
    model_admin.message_user(
        request, ngettext("%d comment anonymised.", "%d comments anonymised.", count) % count
    )
    if unsubscribed:
        model_admin.message_user(
            request,
            ngettext(
                "%d follow-up email subscription deleted.",
                "%d follow-up email subscriptions deleted.",
                unsubscribed,
            )
            % unsubscribed,
        )
    return redirect("admin:comments_comment_privacy")


def _context(request: HttpRequest, model_admin, form: PrivacyRequestForm) -> dict:
    """The admin's usual context, the form and, once it holds an address, the counts."""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Privacy requests"),
        "form": form,
        "can_erase": model_admin.has_change_permission(request),
    }
    if form.is_bound and form.is_valid():
        email = form.cleaned_data["email"]
        counts = privacy.comments_of(email).status_counts()
        context |= {
            "email": email,
            "counts": [(label, counts[value]) for value, label in Comment.Status.choices],
            "total": sum(counts.values()),
            "subscription_count": Subscription.objects.of(email).count(),
        }
    return context


def _render(request: HttpRequest, template: str, context: dict, status: int = 200):
    return TemplateResponse(request, f"admin/comments/privacy/{template}", context, status=status)
