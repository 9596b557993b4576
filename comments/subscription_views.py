"""The two pages an emailed link opens: confirm follow-up emails, and stop them.

A GET changes nothing (mail scanners open links to check them): it shows a page with a
button, and the button's POST acts. Mail providers' one-click unsubscribe (RFC 8058) POSTs
to the unsubscribe link from their servers, with no cookie, no Origin and no page of ours
before it: the signed link is all it needs. Both pages carry a personal token, so nobody
keeps or indexes them (``private, no-store``, ``noindex``) and they send no Referer.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from comments import subscriptions
from comments.models import Subscription
from newsroom import cross_origin


# No CSRF token: the signed link is the authority, and a mail provider's one-click POST has
# no cookie to match one. A browser on another site's page is refused by origin instead; a
# request with neither Origin nor Sec-Fetch-Site (a mail provider's server) is let through.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_subscription(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what the reader asked for, and a button; POST: confirmed, then the page again."""
    try:
        subscription, scope = subscriptions.subscription_to_confirm(token)
    except subscriptions.BadLink:
        return _bad_link(request)
    except subscriptions.ExpiredLink:
        return _problem(
            request,
            _("This link has expired"),
            _(
                "Confirmation links work for %(days)d days, and nobody pressed the button in "
                "time, so we sent you nothing more. To ask again, post a comment with "
                "“Notify me of follow-up comments by email” ticked."
            )
            % {"days": subscriptions.CONFIRM_DAYS},
            status=410,
        )
    if subscription is None:
        return _problem(
            request,
            _("There is nothing to confirm"),
            _(
                "This request was not confirmed within %(days)d days and has been forgotten, "
                "or the address has unsubscribed since. To ask again, post a comment with "
                "“Notify me of follow-up comments by email” ticked."
            )
            % {"days": subscriptions.CONFIRM_DAYS},
            status=404,
        )
    if request.method == "POST":
        if cross_origin.is_cross_origin(request):
            return _from_another_site(request)
        subscriptions.confirm(subscription, scope)
        return redirect(request.path)  # POST/redirect/GET: the page now says it is done
    context = {
        "subscription": subscription,
        "article": subscription.article,
        "every_comment": scope == Subscription.Scope.ALL,
        "done": subscription.is_confirmed and subscription.scope == scope,
    }
    return _page(request, "comments/subscription_confirm.html", context)


@csrf_exempt  # as above: the one-click POST comes from a mail provider's server
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a button; POST (the button, or a mail provider's one-click): unsubscribed.

    The POST answers 200 with the result, not a redirect: the subscription is gone after
    it, and a mail provider's POST wants a plain success. Doing it twice does no harm.
    """
    try:
        subscription = subscriptions.subscription_to_leave(token)
    except subscriptions.BadLink:
        return _bad_link(request)
    if request.method == "POST":
        if cross_origin.is_cross_origin(request):
            return _from_another_site(request)
        # The page's second button; a mail provider's one-click POST ends this one only.
        everywhere = request.POST.get("everywhere") == "yes"
        article = None
        if subscription is not None:
            article = subscription.article
            subscriptions.unsubscribe(subscription, everywhere=everywhere)
        context = {"article": article, "everywhere": everywhere}
        return _page(request, "comments/subscription_left.html", context)
    if subscription is None:
        return _page(request, "comments/subscription_left.html", {"article": None})
    context = {"subscription": subscription, "article": subscription.article}
    return _page(request, "comments/subscription_unsubscribe.html", context)


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "no-referrer"  # the token stays out of other sites' logs
    return response


def _problem(request: HttpRequest, heading: str, explanation: str, *, status: int):
    context = {"heading": heading, "explanation": explanation}
    return _page(request, "comments/subscription_problem.html", context, status=status)


def _bad_link(request: HttpRequest) -> HttpResponse:
    return _problem(
        request,
        _("This link does not work"),
        _(
            "It was damaged or changed on its way here (some email programs cut long links "
            "short), so nothing was changed. Open it again from the email, or copy the whole "
            "address from the email into your browser."
        ),
        status=400,
    )


def _from_another_site(request: HttpRequest) -> HttpResponse:
    return _problem(
        request,
        _("Nothing was changed"),
        _(
            "The button was pressed on a page of another site. Open the link from your email "
            "and press the button on our page."
        ),
        status=403,
    )
