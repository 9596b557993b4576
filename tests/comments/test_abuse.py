"""Abuse of the "Leave a Reply" form, through the real endpoint.

Every case ends one of two ways, and never in a 500:

- refused: a clear 4xx (a form error for 400/409/429), nothing stored, nobody emailed, and the
  page that answers shows what was typed as text, never as markup;
- stored and inert: the comment is held, and what the reader typed is shown as text wherever
  it appears: the article page (for its poster, then for everyone once an editor approves it),
  the admin (queue, change form, moderation page), the reply form ("Leave a Reply to <name>")
  and the moderators' email (plain text, no header of the reader's making).

Pages are read with ``html.parser``, not by searching for substrings: an injection shows as an
element or attribute that the payload created.
"""

import email
import email.policy
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.forms import MAX_ID, TIMESTAMP_SALT, form_timestamp
from comments.models import Comment, DiscussionSettings
from tests import factories
from tests.factories import comment_data

pytestmark = pytest.mark.django_db

EDITOR_EMAIL = "editor@newsroom.example"
SITE_URL = "https://news.example.org"
NUL = "null_characters_not_allowed"
CHANGELIST = reverse("admin:comments_comment_changelist")
PENDING, APPROVED = Comment.Status.PENDING, Comment.Status.APPROVED


def post_url(article: Article) -> str:
    return reverse("comments:post", kwargs={"article_id": article.pk})


# Reading pages ---------------------------------------------------------------------------

# The payloads' scripts call alert('XSS'): the marker shows where a payload became markup.
MARKER = "XSS"
# Attributes that may hold a reader's text, quoted and escaped: the input's value, the reply
# link's label, a link's address (its scheme is checked separately).
# Attributes whose value is text: escaped there, a payload is inert. data-reply-to is the
# name the reply script puts into the form's heading as text (textContent).
TEXT_ATTRIBUTES = {
    "value", "aria-label", "title", "href", "content", "placeholder", "alt", "data-reply-to",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "ping"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# Elements none of these pages has: one of them is always an injection.
FOREIGN_ELEMENTS = {"iframe", "object", "embed", "frame", "frameset", "base", "math", "applet"}


class Page(HTMLParser):
    """The elements, attributes, text and script bodies of an HTML page, as a browser sees them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.texts: list[str] = []
        self.scripts: list[str] = []
        self._raw: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        if tag in {"script", "style"}:
            self._raw = tag

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data):
        (self.scripts if self._raw else self.texts).append(data)

    @cached_property
    def text(self) -> str:
        return "".join(self.texts)

    def values(self, attribute: str) -> list[str]:
        return [v or "" for _, attrs in self.elements for n, v in attrs if n == attribute]

    def links(self) -> list[dict[str, str]]:
        return [{n: v or "" for n, v in attrs} for tag, attrs in self.elements if tag == "a"]

    def shows(self, value: str) -> bool:
        """Is ``value`` on the page as text, or as a form field's value?"""
        return value in self.text or any(value in kept for kept in self.values("value"))


def normalised_url(value: str) -> str:
    """A URL as a browser reads its scheme: spaces and control characters dropped, lower case."""
    return "".join(c for c in value if c > " " and c != "\x7f").lower()


def is_external(href: str) -> bool:
    url = normalised_url(href)
    return url.startswith("//") or (":" in url.split("/")[0] and not url.startswith("#"))


def assert_inert(html: str, where: str, *, public: bool = False) -> Page:
    """Nothing a reader typed became markup: no handler, script, foreign element or bad link.

    On public pages every link off the site is a reader's website: http(s) and rel="nofollow ugc".
    """
    page = Page(html)
    for tag, attrs in page.elements:
        assert tag not in FOREIGN_ELEMENTS, f"{where}: <{tag} {attrs}> was injected"
        for name, value in attrs:
            value = value or ""
            assert not name.startswith("on"), f"{where}: handler <{tag} {name}={value!r}>"
            assert MARKER not in name, f"{where}: attribute {name!r} made by a payload on <{tag}>"
            if MARKER in value:
                assert name in TEXT_ATTRIBUTES, f"{where}: payload in <{tag} {name}={value!r}>"
            if name in URL_ATTRIBUTES:
                assert not normalised_url(value).startswith(DANGEROUS_SCHEMES), (
                    f"{where}: <{tag} {name}={value!r}>"
                )
            if name == "src":  # only the site's own scripts and images
                assert value[:1] == "/" != value[1:2], f"{where}: <{tag} src={value!r}> injected"
        if tag == "a" and public and is_external(dict(attrs).get("href") or ""):
            link = {n: v or "" for n, v in attrs}
            assert normalised_url(link["href"]).startswith(("http://", "https://")), link
            assert {"nofollow", "ugc"} <= set(link.get("rel", "").split()), (
                f"{where}: a reader's link without rel=nofollow ugc: {link}"
            )
    for script in page.scripts:
        assert MARKER not in script and "alert(" not in script, f"{where}: script {script!r}"
    for raw in ("<script>alert", "<svg/onload", "<img src=x", "</textarea><script"):
        assert raw not in html, f"{where}: {raw!r} is in the page unescaped"
    assert django_settings.SECRET_KEY not in html, f"{where}: the SECRET_KEY leaked"
    return page


def html_of(response: HttpResponse, where: str) -> str:
    assert response.status_code == 200, f"{where}: {response.status_code}"
    return response.content.decode()


def form_errors(response: HttpResponse) -> set[tuple[str, str]]:
    """(field, code) of each error of the form shown again; ``__all__`` for those above it."""
    section = (response.context or {}).get("comment_section")
    if section is None:
        return set()
    return {
        (name, error.code)
        for name, errors in section.form.errors.as_data().items()
        for error in errors
    }


# The context a case runs in ---------------------------------------------------------------


@dataclass
class Ctx:
    client: Client
    request: pytest.FixtureRequest
    article: Article
    settings: Any
    monkeypatch: pytest.MonkeyPatch
    mails: list
    capture: Callable
    # Taken just before the last request a case makes: what it must leave unchanged.
    before: int = 0
    mails_before: int = 0

    @property
    def url(self) -> str:
        return post_url(self.article)

    @cached_property
    def admin_client(self) -> Client:
        return self.request.getfixturevalue("admin_client")

    @cached_property
    def other_article(self) -> Article:
        return factories.make_article()

    @cached_property
    def victim(self) -> Comment:
        """An approved comment on another article, that a forged id or parent points at."""
        return factories.make_comment(self.other_article, text="An editor's favourite comment.")

    def submit(self, request: Callable[[], HttpResponse]) -> HttpResponse:
        """Make ``request`` as the site runs it: on-commit work done, the email queued and
        sent by the worker (``email_queue`` in tests/conftest.py)."""
        self.before, self.mails_before = Comment.objects.count(), len(self.mails)
        try:
            with self.capture(execute=True):
                response = request()
        except Exception as error:  # the test client re-raises what would be a 500
            raise AssertionError(f"500: the request raised {error!r}") from error
        assert response.status_code != 500
        return response


@pytest.fixture
def ctx(
    request,
    client,
    article,
    editor,
    settings,
    monkeypatch,
    mailoutbox,
    django_capture_on_commit_callbacks,
) -> Ctx:
    editor.email = EDITOR_EMAIL
    editor.save()
    settings.NEWSROOM_MODERATOR_EMAILS = []  # the editors, then
    settings.NEWSROOM_SITE_URL = SITE_URL
    # WhiteNoise indexes STATIC_ROOT (when collectstatic has filled it) for every new test
    # client, a tenth of a second each; on autorefresh it looks files up only when asked for
    # one, and no request here asks for a static file.
    settings.WHITENOISE_AUTOREFRESH = True
    return Ctx(
        client=client,
        request=request,
        article=article,
        settings=settings,
        monkeypatch=monkeypatch,
        mails=mailoutbox,
        capture=django_capture_on_commit_callbacks,
    )


# How a case sends its request -------------------------------------------------------------

Sender = Callable[[Ctx], HttpResponse]


def _resolve(fields: dict, ctx: Ctx) -> dict:
    return {name: value(ctx) if callable(value) else value for name, value in fields.items()}


def form(*, path: Callable[[Ctx], str] | None = None, meta: dict | None = None, **fields) -> Sender:
    """The form posted as a browser posts it (multipart), with ``fields`` changed; a field set
    to None is left out. Details are saved, so the poster's next page prefills them."""

    def send(ctx: Ctx) -> HttpResponse:
        data = {**comment_data(ctx.article, save_details="on"), **_resolve(fields, ctx)}
        data = {name: value for name, value in data.items() if value is not None}
        url = path(ctx) if path else ctx.url
        return ctx.submit(lambda: ctx.client.post(url, data, **(meta or {})))

    return send


def urlencoded(*, charset: str = "", **raw: str) -> Sender:
    """An x-www-form-urlencoded body; ``raw`` values go in as given (already percent-encoded)."""

    def send(ctx: Ctx) -> HttpResponse:
        fields = {k: v for k, v in comment_data(ctx.article).items() if k not in raw}
        body = "&".join([urlencode(fields), *(f"{name}={value}" for name, value in raw.items())])
        content_type = "application/x-www-form-urlencoded" + (
            f"; charset={charset}" if charset else ""
        )
        return ctx.submit(
            lambda: ctx.client.generic("POST", ctx.url, body.encode(), content_type=content_type)
        )

    return send


def multipart(*, charset: str = "", **raw: bytes) -> Sender:
    """A multipart/form-data body built by hand; ``raw`` values are sent byte for byte."""

    def send(ctx: Ctx) -> HttpResponse:
        fields = {k: v.encode() for k, v in comment_data(ctx.article).items()} | raw
        body = b"".join(
            b'--B0undary\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
            % (name.encode(), value)
            for name, value in fields.items()
        )
        content_type = "multipart/form-data; boundary=B0undary" + (
            f"; charset={charset}" if charset else ""
        )
        return ctx.submit(
            lambda: ctx.client.generic(
                "POST", ctx.url, body + b"--B0undary--\r\n", content_type=content_type
            )
        )

    return send


def body(content: bytes | Callable[[Ctx], bytes], content_type: str) -> Sender:
    def send(ctx: Ctx) -> HttpResponse:
        data = content(ctx) if callable(content) else content
        return ctx.submit(
            lambda: ctx.client.generic("POST", ctx.url, data, content_type=content_type)
        )

    return send


def method(name: str) -> Sender:
    def send(ctx: Ctx) -> HttpResponse:
        data = urlencode(comment_data(ctx.article))
        return ctx.submit(lambda: ctx.client.generic(name, ctx.url, data))

    return send


def sent_from(*, fetch_site: str = "", origin: str = "", csrf_cookie: str = "") -> Sender:
    """Posted by a browser that says where the page posting it came from."""

    def send(ctx: Ctx) -> HttpResponse:
        ctx.client.handler.enforce_csrf_checks = True  # as a browser's request is checked
        if csrf_cookie:
            ctx.client.cookies["csrftoken"] = csrf_cookie
        extra = {"HTTP_SEC_FETCH_SITE": fetch_site} if fetch_site else {}
        extra |= {"HTTP_ORIGIN": origin} if origin else {}
        return ctx.submit(lambda: ctx.client.post(ctx.url, comment_data(ctx.article), **extra))

    return send


def with_csrf_cookie(sender: Sender) -> Sender:
    """``sender`` from a browser that holds a csrftoken cookie, CSRF checked: Django's error
    pages run the CSRF check, which reads the body again."""

    def send(ctx: Ctx) -> HttpResponse:
        ctx.client.handler.enforce_csrf_checks = True
        ctx.client.cookies["csrftoken"] = "a" * 32
        return sender(ctx)

    return send


def our_bad_request_page(ctx: Ctx, response: HttpResponse) -> None:
    assert '<h1 class="page-title">Bad request</h1>' in response.content.decode()
    assert "Content-Security-Policy" in response


def configured(sender: Sender, **values) -> Sender:
    """``sender`` with these settings (``NEWSROOM_COMMENT_`` left off their names)."""

    def send(ctx: Ctx) -> HttpResponse:
        for name, value in values.items():
            setattr(ctx.settings, f"NEWSROOM_COMMENT_{name}", value)
        return sender(ctx)

    return send


def with_rules(sender: Sender, **rules) -> Sender:
    def send(ctx: Ctx) -> HttpResponse:
        DiscussionSettings.objects.update_or_create(pk=1, defaults=rules)
        return sender(ctx)

    return send


def after(*first: Sender, then: Sender, between: Callable[[Ctx], Any] | None = None) -> Sender:
    """``first`` posts (each must be accepted), then the one the case is about."""

    def send(ctx: Ctx) -> HttpResponse:
        for sender in first:
            assert sender(ctx).status_code == 302
        if between:
            between(ctx)
        return then(ctx)

    return send


# What a case must end in ------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    status: int
    # (field or "__all__", code) of the form's error; a code of None: any error on that field.
    error: tuple[str, str | None] | None = None
    kept: str | None = None  # what the reader typed, that the form shown again keeps as text
    check: Callable[[Ctx, HttpResponse], Any] | None = None


@dataclass(frozen=True)
class Stored:
    values: dict = field(default_factory=dict)  # the stored comment's fields, as expected
    check: Callable[[Ctx, Comment], Any] | None = None


def refused(status: int, check=None) -> Refused:
    return Refused(status, check=check)


def bad(name: str, code: str | None, kept: str | None = None) -> Refused:
    """Refused with a 400: the form again, ``code`` beside ``name`` (or above the form)."""
    return Refused(400, (name, code), kept)


def cross_site() -> Refused:
    return Refused(403, ("__all__", "cross_origin"), kept="I have a thought about this.")


def stored(check=None, **values) -> Stored:
    return Stored(values, check)


def check_refused(ctx: Ctx, response: HttpResponse, expect: Refused) -> None:
    assert response.status_code == expect.status, (
        f"{response.status_code} instead of {expect.status}; form errors: {form_errors(response)}"
    )
    assert Comment.objects.count() == ctx.before, "a refused comment was stored"
    assert len(ctx.mails) == ctx.mails_before, "a refused comment was emailed"
    if expect.error:
        name, code = expect.error
        errors = form_errors(response)
        assert (name, code) in errors if code else name in dict(errors), errors
    if expect.status in {400, 403, 409, 429} and expect.error:
        assert "no-store" in response["Cache-Control"]
    if response.get("Content-Type", "").startswith("text/html"):
        page = assert_inert(response.content.decode(errors="replace"), "the refusal")
        if expect.kept is not None:
            assert page.shows(expect.kept), "the reader's text was not kept, as text"
    if expect.check:
        expect.check(ctx, response)


def check_stored(ctx: Ctx, response: HttpResponse, expect: Stored) -> None:
    assert response.status_code == 302, (response.status_code, form_errors(response))
    assert Comment.objects.count() == ctx.before + 1
    comment = Comment.objects.latest("pk")
    assert response["Location"] == f"{ctx.article.get_absolute_url()}#{comment.anchor}"
    assert (comment.article, comment.status) == (ctx.article, PENDING)
    for name, value in _resolve(expect.values, ctx).items():
        assert getattr(comment, name) == value, name
    if expect.check:
        expect.check(ctx, comment)

    check_email(ctx, comment)

    poster = assert_inert(
        html_of(ctx.client.get(ctx.article.get_absolute_url()), "poster"), "poster", public=True
    )
    assert "Your comment is awaiting moderation." in poster.text
    check_shown(poster, comment, "poster")

    admin = ctx.admin_client
    queue = assert_inert(html_of(admin.get(CHANGELIST), "queue"), "admin queue")
    assert queue.shows(comment.author_name) and queue.shows(comment.author_email)
    change = admin.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    change = assert_inert(html_of(change, "change form"), "admin change form")
    for value in (comment.author_name, comment.author_email, comment.author_url):
        assert not value or value in change.values("value"), value
    assert all(line in change.text for line in comment.text.splitlines())
    moderate = admin.get(reverse("admin:comments_comment_moderate", args=[comment.pk, "approve"]))
    moderate = assert_inert(html_of(moderate, "moderate"), "admin moderation page")
    assert moderate.shows(comment.author_name)

    # An editor approves it from the queue; every reader sees it now.
    approve = {"action": "mark_approved", "_selected_action": [comment.pk], "index": 0}
    assert admin.post(CHANGELIST, approve).status_code == 302
    comment.refresh_from_db()
    assert comment.status == APPROVED
    reader = Client()
    html = html_of(reader.get(ctx.article.get_absolute_url()), "reader")
    page = assert_inert(html, "another reader's page", public=True)
    assert "awaiting moderation" not in html
    check_shown(page, comment, "reader")
    assert comment.author_email not in html, "the email address is published"
    # Replying to it: "Leave a Reply to <name>".
    reply = reader.get(ctx.article.get_absolute_url(), {"replytocom": comment.pk})
    page = assert_inert(html_of(reply, "reply form"), "the reply form", public=True)
    assert f"Leave a Reply to {comment.author_name}" in page.text


def check_shown(page: Page, comment: Comment, where: str) -> None:
    """The comment is on the page as the reader typed it: text, name, and a link if http(s)."""
    for line in comment.text.splitlines():
        assert line.strip() in page.text, f"{where}: comment text not shown as text"
    assert comment.author_name in page.text, f"{where}: name not shown as text"
    websites = [link for link in page.links() if "url" in link.get("class", "").split()]
    if comment.safe_author_url:
        assert [link["href"] for link in websites] == [comment.safe_author_url]
    else:
        assert websites == [], f"{where}: a website that is not http(s) became a link"


STANDARD_HEADERS = {
    "content-type",
    "mime-version",
    "content-transfer-encoding",
    "subject",
    "from",
    "to",
    "date",
    "message-id",
}


def check_email(ctx: Ctx, comment: Comment) -> None:
    """The moderators' email: plain text, to the editors only, no header of the reader's."""
    mails = ctx.mails[ctx.mails_before :]
    assert len(mails) == 1, "a held comment is emailed to the editors once"
    message = mails[0]
    assert message.to == [EDITOR_EMAIL]
    assert (message.cc, message.bcc, message.reply_to) == ([], [], [])
    assert message.extra_headers == {}
    assert message.content_subtype == "plain"
    assert not getattr(message, "alternatives", None) and not message.attachments
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert {name.lower() for name in parsed} <= STANDARD_HEADERS, parsed.keys()
    assert parsed.get_content_type() == "text/plain" and not parsed.is_multipart()
    typed = [comment.author_name, comment.author_email, comment.author_url, comment.text]
    for name, value in parsed.items():
        assert "\n" not in str(value) and "\r" not in str(value), name
        assert not any(t and t in str(value) for t in typed), f"reader's text in {name}"
    text = parsed.get_content()
    # The comment is quoted ("> " before each line), so it cannot pass for the email's own lines.
    quoted = "\n".join(f"> {line}" if line else ">" for line in comment.text.splitlines())
    assert quoted in text, "the comment is not in the email as typed"
    assert " ".join(comment.author_name.split()) in text
    assert comment.get_absolute_url() in text
    assert django_settings.SECRET_KEY not in text


# The cases ---------------------------------------------------------------------------------

XSS = {
    "script": "<script>alert('XSS')</script>",
    "img-onerror": "<img src=x onerror=alert('XSS')>",
    "svg-onload": "<svg/onload=alert('XSS')>",
    "quote-breakout": "\"><script>alert('XSS')</script>",
    "apostrophe-handler": "' onmouseover='alert(\"XSS\")' x='",
    "textarea-breakout": "</textarea><script>alert('XSS')</script>",
    "template-variable": "{{ settings.SECRET_KEY }}",
    "template-tag": "{% debug %}",
}
COMMENT_ONLY = {
    "javascript-link": "<a href=\"javascript:alert('XSS')\">click me</a>",
    "iframe": "<iframe src=\"javascript:alert('XSS')\"></iframe>",
    "style": "<style>body{background:url(\"javascript:alert('XSS')\")}</style>",
    "markdown-link": "[click me](javascript:alert('XSS'))",
    "comment-breakout": "--><script>alert('XSS')</script><!--",
    "multi-line": "First line <b>XSS</b>\n\n<script>alert('XSS')</script>\nlast line",
}


def server_side_only(ctx: Ctx, comment: Comment) -> None:
    """Whatever extra fields were posted, the comment holds only what the server decided."""
    now = timezone.now()
    assert comment.article_id == ctx.article.pk and comment.parent_id is None
    assert comment.ip_address == "127.0.0.1"
    assert comment.user_agent == ""
    assert abs((now - comment.submitted_at).total_seconds()) < 60
    assert abs((now - comment.status_changed_at).total_seconds()) < 60
    assert comment.previous_status == ""
    assert comment.content_hash == comment.compute_content_hash()
    if "victim" in ctx.__dict__:
        victim = Comment.objects.get(pk=ctx.victim.pk)
        assert (victim.text, victim.status, victim.article_id) == (
            "An editor's favourite comment.",
            APPROVED,
            ctx.other_article.pk,
        )
        assert comment.pk != victim.pk


def retry_within(seconds: int) -> Callable[[Ctx, HttpResponse], None]:
    def check(ctx: Ctx, response: HttpResponse) -> None:
        assert 0 < int(response["Retry-After"]) <= seconds + 1

    return check


def signed(value, **kwargs) -> Callable[[Ctx], str]:
    return lambda ctx: signing.dumps(value, **{"salt": TIMESTAMP_SALT, **kwargs})


def made_ago(seconds: float) -> Callable[[Ctx], str]:
    """The token of a form shown ``seconds`` ago: signed then, by the signing module's clock."""

    def token(ctx: Ctx) -> str:
        then = time.time() - seconds
        with ctx.monkeypatch.context() as patch:
            patch.setattr("django.core.signing.time.time", lambda: then)
            return form_timestamp(ctx.article.pk)

    return token


def altered_signature(ctx: Ctx) -> str:
    token = form_timestamp(ctx.article.pk)
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def altered_value(ctx: Ctx) -> str:
    """The token's signature, on a time of the reader's choosing (an hour earlier)."""
    token = form_timestamp(ctx.article.pk)
    value, rest = token.split(":", 1)
    forged = signing.dumps([ctx.article.pk, time.time() - 3600], salt=TIMESTAMP_SALT)
    forged = forged.split(":", 1)[0]
    assert forged != value
    return f"{forged}:{rest}"


def at_article(**fields) -> Callable[[Ctx], str]:
    return lambda ctx: post_url(factories.make_article(**fields))


def comment_on(status: str, *, elsewhere: bool = False) -> Callable[[Ctx], int]:
    def make(ctx: Ctx) -> int:
        target = ctx.other_article if elsewhere else ctx.article
        return factories.make_comment(target, status=status).pk

    return make


def valid_email_at_limit() -> str:
    address = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".org"
    assert len(address) == 254
    return address


def too_many_fields(ctx: Ctx) -> bytes:
    data = urlencode(comment_data(ctx.article)) + "".join(f"&f{n}=x" for n in range(1100))
    return data.encode()


def trashed(ctx: Ctx) -> None:
    Comment.objects.update(status=Comment.Status.TRASH)


def links_to_the_site(ctx: Ctx, comment: Comment) -> None:
    """The email's links go to the site, whatever host the request claimed."""
    body = ctx.mails[-1].body
    assert "evil.example" not in body
    assert f"{SITE_URL}{comment.get_absolute_url()}" in body


def no_nul_user_agent(ctx: Ctx, comment: Comment) -> None:
    assert "\x00" not in comment.user_agent


def no_markup_from_overlong_utf8(ctx: Ctx, comment: Comment) -> None:
    assert "<" not in comment.text and ">" not in comment.text
    assert "\ufffd" in comment.text


def is_reply(ctx: Ctx, comment: Comment) -> None:
    assert comment.parent is not None and comment.parent.status == APPROVED


def replaced(field_name: str) -> Callable[[Ctx, Comment], None]:
    def check(ctx: Ctx, comment: Comment) -> None:
        assert "\ufffd" in getattr(comment, field_name)

    return check


CASES = [
    # HTML, script and template syntax in every field the reader fills in.
    *(
        pytest.param(form(comment=p), stored(text=p), id=f"comment-{n}")
        for n, p in {**XSS, **COMMENT_ONLY}.items()
    ),
    *(pytest.param(form(author=p), stored(author_name=p), id=f"name-{n}") for n, p in XSS.items()),
    *(
        pytest.param(form(email=p), bad("email", "invalid", kept=p), id=f"email-{n}")
        for n, p in XSS.items()
    ),
    pytest.param(
        form(email="\"<script>alert('XSS')</script>\"@example.org"),
        stored(author_email="\"<script>alert('XSS')</script>\"@example.org"),
        id="email-quoted-local-part-script",
    ),
    pytest.param(
        form(email="\"'onmouseover='alert(XSS)\"@example.org"),
        stored(author_email="\"'onmouseover='alert(XSS)\"@example.org"),
        id="email-quoted-local-part-handler",
    ),
    *(
        pytest.param(form(url=p), bad("url", "invalid", kept=p), id=f"website-{n}")
        for n, p in XSS.items()
    ),
    *(
        pytest.param(form(url=p), stored(author_url=p), id=f"website-http-{n}")
        for n, p in {
            "quote-breakout": "https://example.org/\"><script>alert('XSS')</script>",
            "svg-in-query": "https://example.org/?q=<svg/onload=alert('XSS')>",
            "apostrophe-handler": "https://example.org/'onmouseover='alert(XSS)'",
        }.items()
    ),
    # Website schemes that must never become a link.
    *(
        pytest.param(form(url=url), bad("url", "invalid", kept=url.strip()), id=f"website-{n}")
        for n, url in {
            "javascript": "javascript:alert('XSS')",
            "javascript-mixed-case": "JaVaScRiPt:alert('XSS')",
            "javascript-leading-space": " javascript:alert('XSS')",
            "javascript-tab": "java\tscript:alert('XSS')",
            "javascript-entity": "&#106;avascript:alert('XSS')",
            "javascript-newline": "java\nscript:alert('XSS')",
            "javascript-control-prefix": "\x01javascript:alert('XSS')",
            "javascript-slashes": "javascript://example.org/%0Aalert('XSS')",
            "javascript-in-https": "https://javascript:alert('XSS')",
            "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4=",
            "vbscript": "vbscript:msgbox('XSS')",
            "ftp": "ftp://example.org/",
        }.items()
    ),
    pytest.param(
        form(url="//evil.example"), stored(author_url="https://evil.example"), id="website-noscheme"
    ),
    *(
        pytest.param(form(url=url), bad("url", "credentials", kept=url), id=f"website-{n}")
        for n, url in {
            "credentials": "http://user:pass@evil.example/",
            "user-name": "https://user@evil.example/",
            "dressed-as-another-site": "https://paypal.com@evil.example/",
        }.items()
    ),
    pytest.param(
        form(url="HTTPS://EXAMPLE.ORG/Path"),
        stored(author_url="HTTPS://EXAMPLE.ORG/Path"),
        id="website-upper-case-https",
    ),
    # Line breaks and control characters in the one-line fields. U+2028 is not a control
    # character: the name keeps it, and the email writes it as a space.
    *(
        pytest.param(form(author=name), bad("author", "control_characters"), id=f"name-{n}")
        for n, name in {
            "crlf-header": "Ada\r\nBcc: victim@evil.example",
            "lf-header": "Ada\nX-Injected: yes",
            "cr": "Ada\rReader",
            "tab": "Ada\tReader",
            "escape": "Ada\x1b[31mReader",
            "delete": "Ada\x7fReader",
            "next-line": "Ada\x85Reader",
            "vertical-tab": "Ada\x0bReader",
        }.items()
    ),
    pytest.param(
        urlencoded(author="Ada%0D%0ABcc%3A%20victim%40evil.example"),
        bad("author", "control_characters"),
        id="name-crlf-header-urlencoded",
    ),
    pytest.param(
        form(author="Ada\u2028Bcc: victim@evil.example"),
        bad("author", "control_characters"),
        id="name-unicode-line-separator",
    ),
    *(
        pytest.param(form(email=address), bad("email", None), id=f"email-{n}")
        for n, address in {
            "crlf-header": "ada@example.org\r\nBcc: victim@evil.example",
            "lf-header": "ada@example.org\nCc: victim@evil.example",
            "tab": "ada\t@example.org",
            "line-separator": "ada@example.org\u2028Bcc: victim@evil.example",
            "quoted-escape": '"ada\x1b[31m"@example.org',
            "quoted-delete": '"ada\x7f"@example.org',
            "quoted-vertical-tab": '"ada\x0b"@example.org',
            "quoted-escaped-tab": '"ada\\\t"@example.org',
        }.items()
    ),
    pytest.param(
        urlencoded(email="ada%40example.org%0D%0ABcc%3A%20victim%40evil.example"),
        bad("email", "invalid"),
        id="email-crlf-header-urlencoded",
    ),
    # NUL bytes, as form fields and as raw bodies.
    *(
        pytest.param(urlencoded(**{name: value}), bad(name, NUL), id=f"nul-{name}")
        for name, value in {
            "comment": "a%00b",
            "author": "a%00b",
            "email": "a%00b%40example.org",
            "url": "https%3A%2F%2Fexample.org%2F%00",
        }.items()
    ),
    pytest.param(urlencoded(timestamp="%00"), bad("__all__", "tampered"), id="nul-timestamp"),
    pytest.param(multipart(author=b"a\x00b"), bad("author", NUL), id="nul-name-multipart"),
    pytest.param(multipart(comment=b"a\x00b"), bad("comment", NUL), id="nul-comment-multipart"),
    # Bytes that are not UTF-8: replaced, never turned into markup, never a 500.
    pytest.param(
        urlencoded(comment="%FF%FE%FD"), stored(replaced("text")), id="invalid-utf8-comment"
    ),
    pytest.param(
        urlencoded(author="Ada%C3%28"), stored(replaced("author_name")), id="invalid-utf8-name"
    ),
    pytest.param(
        urlencoded(comment="%C0%BCscript%C0%BEalert('XSS')%C0%BC/script%C0%BE"),
        stored(no_markup_from_overlong_utf8),
        id="overlong-utf8-script",
    ),
    pytest.param(
        urlencoded(author="Ada%ED%A0%80"), stored(replaced("author_name")), id="utf8-surrogate"
    ),
    pytest.param(
        urlencoded(email="ada%FF%40example.org"), bad("email", "invalid"), id="invalid-utf8-email"
    ),
    pytest.param(
        multipart(comment=b"\xff\xfe\xfd"),
        stored(replaced("text")),
        id="invalid-utf8-comment-multipart",
    ),
    pytest.param(
        multipart(author=b"Ada\xc3\x28"),
        stored(replaced("author_name")),
        id="invalid-utf8-name-multipart",
    ),
    # Other character sets. Django takes form-urlencoded bodies in UTF-8 only; a multipart body
    # may name its own: UTF-7 spells markup without "<", and lone surrogates.
    *(
        pytest.param(urlencoded(charset=charset, comment=text), refused(400), id=f"{charset}-body")
        for charset, text in {
            "utf-7": "%2BADw-script%2BAD4-alert('XSS')%2BADw-/script%2BAD4-",
            "utf-16": "hello",
            "latin-1": "caf%E9",
            "nonsense": "caf%E9",  # no codec has the name: not read as UTF-8 either
        }.items()
    ),
    # From a browser with a csrftoken cookie, Django's 400 page failed too: a bare 500.
    *(
        pytest.param(
            with_csrf_cookie(urlencoded(charset=charset, comment="caf%E9")),
            refused(400, check=our_bad_request_page),
            id=f"{charset}-body-csrf-cookie",
        )
        for charset in ["latin-1", "utf-7", "utf-16", "nonsense"]
    ),
    pytest.param(
        with_csrf_cookie(body(b"comment=hello", "multipart/form-data")),
        refused(400, check=our_bad_request_page),
        id="multipart-without-boundary-csrf-cookie",
    ),
    pytest.param(
        multipart(charset="utf-7", comment=b"+ADw-script+AD4-alert('XSS')+ADw-/script+AD4-"),
        stored(text="<script>alert('XSS')</script>"),
        id="utf7-multipart-script",
    ),
    *(
        pytest.param(
            multipart(charset="utf-7", **{name: value}), refused(400), id=f"utf7-surrogate-{name}"
        )
        for name, value in {
            "comment": b"Hello +2D0-",
            "author": b"Ada +2D0-",
            "url": b"https://example.org/+2D0-",
        }.items()
    ),
    # Too long, and exactly at the limit.
    pytest.param(form(comment="x" * 10_001), bad("comment", "max_length"), id="comment-10001"),
    pytest.param(form(comment="x" * 10_000), stored(text="x" * 10_000), id="comment-10000"),
    pytest.param(form(comment="😀" * 10_000), stored(text="😀" * 10_000), id="comment-10000-emoji"),
    pytest.param(form(author="x" * 246), bad("author", "max_length"), id="name-246"),
    pytest.param(form(author="x" * 245), stored(author_name="x" * 245), id="name-245"),
    pytest.param(
        form(email="a" + valid_email_at_limit()), bad("email", "max_length"), id="email-255"
    ),
    pytest.param(
        form(email=valid_email_at_limit()),
        stored(author_email=valid_email_at_limit()),
        id="email-254",
    ),
    pytest.param(
        form(url="https://example.org/" + "x" * 181), bad("url", "max_length"), id="website-201"
    ),
    pytest.param(
        form(url="https://example.org/" + "x" * 180),
        stored(author_url="https://example.org/" + "x" * 180),
        id="website-200",
    ),
    pytest.param(form(honeypot="x" * 100_000), bad("__all__", "honeypot"), id="honeypot-long"),
    pytest.param(form(timestamp="x" * 100_000), bad("__all__", "tampered"), id="timestamp-long"),
    pytest.param(urlencoded(comment="x" * 3_000_000), refused(413), id="body-over-upload-limit"),
    pytest.param(
        body(too_many_fields, "application/x-www-form-urlencoded"),
        refused(400),
        id="too-many-fields",
    ),
    # Bidi overrides and invisible characters: a name may not reverse what follows it nor be
    # invisible; joiners inside a name are kept (Persian names need U+200C), shown as text.
    pytest.param(form(author="\u202eredaeR adA"), bad("author", "bidi_controls"), id="name-bidi"),
    # Names that pass for the newsroom's own: the editor's ("editor"), the site's, look-alikes.
    *(
        pytest.param(form(author=name), bad("author", "staff_name"), id=f"name-staff-{n}")
        for n, name in {
            "same": "editor",
            "capitals": "EDITOR",
            "cyrillic-e": "\u0415ditor",
            "greek-and-cyrillic": "\u0395dit\u043er",
            "zero-width-joiners": "E\u200ddi\u200dtor",
            "soft-hyphen": "Edi\u00adtor",
            "check-mark": "Editor \u2713",
            "heavy-check-mark": "Editor \u2714\ufe0f",
            "aside": "Editor (staff)",
            "title": "The Editor",
            "fullwidth": "\uff25\uff44\uff49\uff54\uff4f\uff52",
            "math-bold": "\U0001d404\U0001d41d\U0001d422\U0001d42d\U0001d428\U0001d42b",
            "digits": "Ed1t0r",
            "accent": "Ed\u00edtor",
            "site-name": "Newsroom",
            "site-name-spaced": "N e w s r o o m",
        }.items()
    ),
    pytest.param(form(author="Ann (Staff)"), bad("author", "staff_badge"), id="name-badge"),
    pytest.param(
        form(author="Editorial Ann"), stored(author_name="Editorial Ann"), id="name-near-staff"
    ),
    pytest.param(
        form(author="Ada\u200bReader"), stored(author_name="Ada\u200bReader"), id="name-zero-width"
    ),
    pytest.param(form(author="\u2066Ada\u2069"), bad("author", "bidi_controls"), id="name-isolate"),
    pytest.param(
        form(author="\u200b\u200c\u200d"), bad("author", "invisible"), id="name-only-invisible"
    ),
    pytest.param(
        form(comment="Nice \u202e<b>XSS</b>"),
        stored(text="Nice \u202e<b>XSS</b>"),
        id="comment-bidi-markup",
    ),
    pytest.param(
        form(url="https://example.org/\u202egpj.exe"),
        stored(author_url="https://example.org/\u202egpj.exe"),
        id="website-bidi",
    ),
    # Mass assignment: fields the form does not have change nothing.
    *(
        pytest.param(form(**{name: value}), stored(server_side_only), id=f"assign-{name}")
        for name, value in {
            "status": "approved",
            "approved": "1",
            "is_approved": "true",
            "id": lambda ctx: ctx.victim.pk,
            "pk": lambda ctx: ctx.victim.pk,
            "ip_address": "1.2.3.4",
            "article": lambda ctx: ctx.other_article.pk,
            "article_id": lambda ctx: ctx.other_article.pk,
            "parent_id": lambda ctx: ctx.victim.pk,
            "submitted_at": "2000-01-01T00:00:00Z",
            "status_changed_at": "2000-01-01T00:00:00Z",
            "previous_status": "approved",
            "content_hash": "0" * 64,
            "user_agent": "<script>alert('XSS')</script>",
        }.items()
    ),
    pytest.param(
        form(meta={"HTTP_X_FORWARDED_FOR": "1.2.3.4"}),
        stored(server_side_only),
        id="assign-forwarded-for",
    ),
    pytest.param(form(meta={"HTTP_HOST": "evil.example"}), refused(400), id="host-header-forged"),
    pytest.param(
        form(meta={"HTTP_X_FORWARDED_HOST": "evil.example"}),
        stored(links_to_the_site),
        id="forwarded-host-header",
    ),
    pytest.param(
        form(meta={"HTTP_USER_AGENT": "<script>alert('XSS')</script>"}),
        stored(user_agent="<script>alert('XSS')</script>"),
        id="user-agent-script",
    ),
    pytest.param(
        form(meta={"HTTP_USER_AGENT": "Mozilla/5.0\x00<script>"}),
        stored(no_nul_user_agent),
        id="user-agent-nul",
    ),
    # The comment replied to: only an approved one on this article, and not too deep.
    *(
        pytest.param(form(parent=parent), bad("__all__", code), id=f"parent-{n}")
        for n, (parent, code) in {
            "other-article": (comment_on(APPROVED, elsewhere=True), "invalid_parent"),
            "pending": (comment_on(PENDING), "invalid_parent"),
            "spam": (comment_on(Comment.Status.SPAM), "invalid_parent"),
            "trash": (comment_on(Comment.Status.TRASH), "invalid_parent"),
            "missing": (2**31 - 1, "invalid_parent"),
            "largest-id": (MAX_ID, "invalid_parent"),
            "negative": ("-1", "min_value"),
            "zero": ("0", "min_value"),
            "20-digits": ("9" * 20, "max_value"),
            "5000-digits": ("9" * 5000, "invalid"),
            "non-numeric": ("abc", "invalid"),
            "sql": ("1 OR 1=1", "invalid"),
            "decimal": ("1.5", "invalid"),
        }.items()
    ),
    pytest.param(
        form(parent="\"><script>alert('XSS')</script>"),
        bad("__all__", "invalid"),
        id="parent-script",
    ),
    pytest.param(
        with_rules(form(parent=comment_on(APPROVED)), thread_depth=1),
        bad("__all__", "too_deep"),
        id="parent-too-deep",
    ),
    pytest.param(
        form(parent=comment_on(APPROVED), comment="<script>alert('XSS')</script>"),
        stored(is_reply),
        id="parent-approved-reply-with-script",
    ),
    # Articles that take no comments, or do not exist.
    pytest.param(
        form(path=at_article(comment_mode=Article.CommentMode.CLOSED)),
        refused(403),
        id="article-closed",
    ),
    pytest.param(
        form(
            path=at_article(
                comments_close_after_days=1, published_at=timezone.now() - timedelta(days=30)
            )
        ),
        refused(403),
        id="article-closed-by-age",
    ),
    pytest.param(
        form(path=at_article(status=Article.Status.DRAFT)), refused(404), id="article-draft"
    ),
    pytest.param(
        form(path=at_article(published_at=timezone.now() + timedelta(days=30))),
        refused(404),
        id="article-scheduled",
    ),
    *(
        pytest.param(form(path=lambda ctx, p=p: p), refused(404), id=f"article-{n}")
        for n, p in {
            "unknown": "/comments/post/999999/",
            "zero": "/comments/post/0/",
            "negative": "/comments/post/-1/",
            "20-digits": "/comments/post/99999999999999999999/",
            "5000-digits": "/comments/post/" + "9" * 5000 + "/",
            "non-numeric": "/comments/post/abc/",
            "invalid-utf8": "/comments/post/%FF/",
            "arabic-digit": "/comments/post/\u0661/",
        }.items()
    ),
    # Not a POST.
    *(
        pytest.param(method(verb), refused(405), id=f"method-{verb.lower()}")
        for verb in ["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"]
    ),
    # Cross-site posts: refused by what the browser says of the page that posted.
    pytest.param(sent_from(fetch_site="cross-site"), cross_site(), id="fetch-cross-site"),
    pytest.param(sent_from(fetch_site="same-site"), cross_site(), id="fetch-same-site"),
    pytest.param(sent_from(fetch_site="Cross-Site"), cross_site(), id="fetch-cross-site-case"),
    pytest.param(sent_from(fetch_site="<script>"), cross_site(), id="fetch-garbage"),
    pytest.param(
        sent_from(fetch_site="cross-site", origin="http://testserver"),
        cross_site(),
        id="fetch-cross-site-own-origin",
    ),
    pytest.param(sent_from(origin="https://evil.example"), cross_site(), id="origin-other"),
    pytest.param(sent_from(origin="null"), cross_site(), id="origin-null"),
    pytest.param(
        sent_from(origin="http://testserver.evil.example"), cross_site(), id="origin-suffix"
    ),
    pytest.param(
        sent_from(origin="http://testserver@evil.example"), cross_site(), id="origin-userinfo"
    ),
    pytest.param(sent_from(origin="<script>"), cross_site(), id="origin-garbage"),
    # Same-site posts need no token or cookie: the page is the same for every reader.
    pytest.param(sent_from(fetch_site="same-origin"), stored(), id="fetch-same-origin"),
    pytest.param(sent_from(fetch_site="none"), stored(), id="fetch-none"),
    pytest.param(sent_from(origin="http://testserver"), stored(), id="origin-own"),
    pytest.param(sent_from(), stored(), id="no-browser-headers"),
    pytest.param(
        sent_from(fetch_site="same-origin", csrf_cookie="<script>"),
        stored(),
        id="stray-csrf-cookie",
    ),
    # The honeypot and the timestamp.
    pytest.param(form(honeypot="http://spam.example"), bad("__all__", "honeypot"), id="honeypot"),
    pytest.param(
        form(honeypot="<script>alert('XSS')</script>"),
        bad("__all__", "honeypot"),
        id="honeypot-script",
    ),
    *(
        pytest.param(form(timestamp=token), bad("__all__", code), id=f"timestamp-{n}")
        for n, (token, code) in {
            "missing": (None, "tampered"),
            "empty": ("", "tampered"),
            "garbage": ("not-a-token", "tampered"),
            "number": ("1700000000", "tampered"),
            "altered-signature": (altered_signature, "tampered"),
            "altered-time": (altered_value, "tampered"),
            "other-salt": (signed(time.time(), salt="another.salt"), "tampered"),
            "other-key": (signed(time.time(), key="not-our-secret-key"), "tampered"),
            "signed-text": (signed("soon"), "tampered"),
            "signed-dict": (signed({"time": 1}), "tampered"),
            "signed-null": (signed(None), "tampered"),
            "time-alone": (signed(time.time() - 60), "tampered"),
            "other-article": (lambda ctx: form_timestamp(ctx.other_article.pk), "tampered"),
            "script": ("\"><script>alert('XSS')</script>", "tampered"),
            "expired": (made_ago(2 * 24 * 3600), "expired"),
        }.items()
    ),
    pytest.param(
        configured(form(), MIN_SECONDS=3), bad("__all__", "too_fast"), id="timestamp-too-fast"
    ),
    pytest.param(
        configured(form(timestamp=made_ago(10)), FORM_MAX_AGE=5),
        bad("__all__", "expired"),
        id="timestamp-past-short-max-age",
    ),
    # Floods and duplicates.
    pytest.param(
        configured(after(form(), then=form(comment="Again, quickly.")), FLOOD_SECONDS=60),
        Refused(429, ("__all__", "flood"), "Again, quickly.", retry_within(60)),
        id="flood-same-poster",
    ),
    pytest.param(
        configured(
            after(form(), then=form(email="other@example.org", comment="Other me.")),
            FLOOD_SECONDS=60,
        ),
        Refused(429, ("__all__", "flood"), "Other me.", retry_within(60)),
        id="flood-same-ip-other-email",
    ),
    pytest.param(
        configured(
            after(form(), then=form(meta={"REMOTE_ADDR": "198.51.100.9"}, comment="Elsewhere.")),
            FLOOD_SECONDS=60,
        ),
        Refused(429, ("__all__", "flood"), "Elsewhere.", retry_within(60)),
        id="flood-same-email-other-ip",
    ),
    pytest.param(
        configured(
            after(
                form(email="one@example.org", comment="One."),
                form(email="two@example.org", comment="Two."),
                then=form(email="three@example.org", comment="Three."),
            ),
            RATE_PER_HOUR=2,
        ),
        Refused(429, ("__all__", "flood"), "Three.", retry_within(3600)),
        id="hourly-rate-limit",
    ),
    pytest.param(
        after(form(comment="Said once."), then=form(comment="Said once.")),
        Refused(409, ("__all__", "duplicate"), "Said once."),
        id="duplicate",
    ),
    pytest.param(
        after(form(comment="Said once."), then=form(comment="Said once.", email="ADA@EXAMPLE.ORG")),
        Refused(409, ("__all__", "duplicate")),
        id="duplicate-email-case",
    ),
    pytest.param(
        after(form(comment="Said once."), then=form(comment="  Said once.\n")),
        Refused(409, ("__all__", "duplicate")),
        id="duplicate-whitespace",
    ),
    pytest.param(
        after(form(comment="Said once."), then=form(comment="Said once."), between=trashed),
        stored(text="Said once."),
        id="duplicate-after-trash",
    ),
    # Bodies that are not a form.
    pytest.param(
        body(b'{"comment": "hi", "author": "Ada"}', "application/json"),
        bad("comment", "required"),
        id="json-body",
    ),
    pytest.param(
        body(lambda ctx: urlencode(comment_data(ctx.article)).encode(), "text/plain"),
        bad("comment", "required"),
        id="form-body-as-text-plain",
    ),
    pytest.param(
        body(b"--nope\r\n\r\n", "multipart/form-data"),
        refused(400),
        id="multipart-without-boundary",
    ),
    pytest.param(
        body(b"garbage without any boundary", "multipart/form-data; boundary=B0undary"),
        bad("comment", "required"),
        id="multipart-broken",
    ),
    pytest.param(
        body(b"\xff\xfe\x00<", "application/octet-stream"),
        bad("comment", "required"),
        id="binary-body",
    ),
]


@pytest.mark.parametrize(("send", "expect"), CASES)
def test_abuse_is_refused_or_stored_inert(ctx, send, expect):
    response = send(ctx)

    assert response.status_code != 500
    if isinstance(expect, Refused):
        check_refused(ctx, response, expect)
    else:
        check_stored(ctx, response, expect)
