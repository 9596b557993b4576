import copy
import re
import time
import unicodedata
from urllib.parse import urlsplit

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout, LayoutObject, Submit
from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import URLValidator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.models import Article
from comments import impersonation, moderation
from comments.models import (
    AUTHOR_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    REPORT_NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    URL_MAX_LENGTH,
    Comment,
    DiscussionSettings,
    Report,
    Subscription,
)

# Biggest value a primary key column holds; anything larger is not a comment of ours.
MAX_ID = 2**63 - 1
TIMESTAMP_SALT = "comments.form.timestamp"
REPORT_TIMESTAMP_SALT = "comments.report.timestamp"
SURROGATES = re.compile("[\ud800-\udfff]")


def form_timestamp(target_id: int, salt: str = TIMESTAMP_SALT) -> str:
    """A signed note of which article's form was shown when: bots post faster, or replay old
    forms, or one form on every article. The same for every reader of a cached page.
    With ``REPORT_TIMESTAMP_SALT``, which comment's report form."""
    return signing.dumps([target_id, time.time()], salt=salt)


def reject_credentials(value: str) -> None:
    """``https://user:pass@host/`` would put a password on the page, or dress a link up as
    another site's (``https://paypal.com@evil.example/``)."""
    if "@" in urlsplit(value).netloc:
        raise forms.ValidationError(
            _("Enter a website address without a user name or password in it."),
            code="credentials",
        )


class WebsiteField(forms.URLField):
    """A website address that can safely become a link: http or https only, no user name."""

    default_validators = [URLValidator(schemes=["http", "https"]), reject_credentials]
    default_error_messages = {
        "invalid": _("Enter a website address that starts with http:// or https://."),
    }


# Characters that reorder the text around them (RLO and friends): a name must not be able
# to turn the date after it backwards.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def reject_unstorable(value: str) -> None:
    """Lone surrogates (from odd encodings) can be neither stored nor shown."""
    if any(unicodedata.category(char) == "Cs" for char in value):
        raise forms.ValidationError(
            _("This contains characters that cannot be stored. Please type it again."),
            code="unstorable",
        )


def reject_control_characters(value: str) -> None:
    if any(unicodedata.category(char) == "Cc" or char in "\u2028\u2029" for char in value):
        raise forms.ValidationError(
            _("This cannot contain line breaks or other control characters."),
            code="control_characters",
        )


def reject_reordering_and_invisible_names(value: str) -> None:
    if any(char in BIDI_CONTROLS for char in value):
        raise forms.ValidationError(
            _("Your name cannot contain characters that reverse the text around it."),
            code="bidi_controls",
        )
    if not any(unicodedata.category(char)[0] in "LNPS" for char in value):
        raise forms.ValidationError(_("Please enter a name people can read."), code="invisible")


# The checks of each field a reader fills in, for the public form and the admin's edit form.
NAME_CHECKS = [reject_unstorable, reject_control_characters, reject_reordering_and_invisible_names]
EMAIL_CHECKS = [reject_unstorable, reject_control_characters]
WEBSITE_CHECKS = [reject_unstorable]  # and WebsiteField's own
TEXT_CHECKS = [reject_unstorable]


def without_control_characters(text: str) -> str:
    """Comment text without invisible control characters (tabs and line breaks stay)."""
    return "".join(char for char in text if char in "\t\n\r" or unicodedata.category(char) != "Cc")


# What a reader is told when the honeypot or the timestamp gives a form away as a bot's.
COMMENT_TRAP_MESSAGES = {
    "honeypot": _(
        "Your comment was not posted: a field meant to stay empty was filled in, as automatic "
        "spam tools do. If you are a person, clear your browser's autofill for this page and "
        "post again."
    ),
    "expired": _(
        "This page was open too long for us to accept the comment safely. Your text is still "
        "below: post it again now."
    ),
    "tampered": _(
        "Your comment was not posted because the form was damaged or altered. Your text is "
        "still below: post it again."
    ),
    "too_fast": _(
        "That was quicker than anyone can type, so it looked automatic. Wait a few seconds, "
        "then post your comment again."
    ),
}


def check_bot_traps(cleaned: dict, target: int, salt: str, messages: dict) -> None:
    """The anti-bot checks of a public form: its honeypot is empty, and its timestamp
    (``form_timestamp``) was signed with ``salt`` for ``target``, long enough ago for a
    person to have filled it in and not too long ago. Raises a security (non-field) error
    with the code's message from ``messages``."""
    if cleaned.get("honeypot"):
        raise forms.ValidationError(messages["honeypot"], code="honeypot")
    max_age = settings.NEWSROOM_COMMENT_FORM_MAX_AGE or None
    try:
        signed_for, shown_at = signing.loads(
            cleaned.get("timestamp", ""), salt=salt, max_age=max_age
        )
        shown_at = float(shown_at)
        if signed_for != target:  # a form shown for another article or comment
            raise ValueError(signed_for)
    except signing.SignatureExpired:
        raise forms.ValidationError(messages["expired"], code="expired") from None
    except (signing.BadSignature, TypeError, ValueError):
        raise forms.ValidationError(messages["tampered"], code="tampered") from None
    if time.time() - shown_at < settings.NEWSROOM_COMMENT_MIN_SECONDS:
        raise forms.ValidationError(messages["too_fast"], code="too_fast")


def ready_to_send_again(form: forms.Form, target: int, salt: str) -> None:
    """A public form shown again (with its errors) can be sent again: a fresh timestamp for
    ``target``, an empty honeypot, and what cannot be shown (lone surrogates) as the
    replacement character."""
    form.data = form.data.copy()
    for key in form.data:
        form.data.setlist(key, [SURROGATES.sub("\ufffd", v) for v in form.data.getlist(key)])
    form.data[form.add_prefix("timestamp")] = form_timestamp(target, salt)
    form.data[form.add_prefix("honeypot")] = ""


class NotifyFields(LayoutObject):
    """The follow-up email box and its choice of comments, drawn by their own template (a
    box with a group of radio buttons under it, which the field template does not draw)."""

    def render(self, form, context, **kwargs) -> str:
        return render_to_string("comments/_form_notify.html", {"form": form})


# The form's layout, built once: only its address differs from article to article.
HELPER = FormHelper()
HELPER.form_id = "commentform"
HELPER.form_class = "comment-form"
# No CSRF token: the page is the same for every reader, so caches may keep it; cross-site
# posts are refused by origin instead (newsroom/cross_origin.py).
HELPER.disable_csrf = True
HELPER.field_template = "bootstrap5/comment_field.html"
HELPER.layout = Layout(
    HTML(
        '<p class="comment-notes"><span id="email-notes">'
        "Your email address will not be published.</span> "
        '<span class="required-field-message">Required fields are marked '
        '<span class="required">*</span></span></p>'
    ),
    "comment",
    "author",
    "email",
    "url",
    "save_details",
    NotifyFields(),
    Div("honeypot", css_class="comment-form-hp", aria_hidden="true"),
    "parent",
    "timestamp",
    Submit("submit", _("Post Comment")),
)


class CommentForm(forms.Form):
    """The "Leave a Reply" form, in WordPress's field order."""

    comment = forms.CharField(
        label=_("Comment"),
        max_length=TEXT_MAX_LENGTH,
        validators=TEXT_CHECKS,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        error_messages={"required": _("Please type your comment.")},
    )
    author = forms.CharField(
        label=_("Name"),
        max_length=AUTHOR_MAX_LENGTH,
        validators=NAME_CHECKS,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Please enter your name.")},
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=EMAIL_MAX_LENGTH,
        validators=EMAIL_CHECKS,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "aria-describedby": "email-notes"}),
        error_messages={
            "required": _("Please enter your email address."),
            "invalid": _("Please enter a valid email address, like name@example.com."),
        },
    )
    url = WebsiteField(
        label=_("Website"),
        required=False,
        max_length=URL_MAX_LENGTH,
        validators=WEBSITE_CHECKS,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    save_details = forms.BooleanField(
        label=_("Save my name, email, and website in this browser for the next time I comment."),
        required=False,
    )
    # Follow-up emails (comments/subscriptions.py): off unless ticked; replies by default.
    notify = forms.BooleanField(
        label=_("Notify me of follow-up comments by email."), required=False
    )
    notify_scope = forms.ChoiceField(
        label=_("Email me about"),
        choices=[
            (Subscription.Scope.REPLIES, _("Replies to my comment only")),
            (Subscription.Scope.ALL, _("Every new comment on this article")),
        ],
        initial=Subscription.Scope.REPLIES,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": _("Choose which comments to be emailed about.")},
    )
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    # Anti-spam: people never see the honeypot, so only bots fill it; the timestamp tells
    # how long the form was open. Their failures are security errors, shown above the form.
    honeypot = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    timestamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, article: Article, discussion: DiscussionSettings, *args, poster=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.article = article
        self.discussion = discussion
        self.poster = poster  # the signed-in user posting, if any
        self.fields["timestamp"].initial = form_timestamp(article.pk)
        self.helper = copy.copy(HELPER)
        # After a refusal the browser lands on the error summary and focuses it, script or not.
        self.helper.form_action = (
            reverse("comments:post", kwargs={"article_id": article.pk}) + "#error-summary"
        )

    def clean_comment(self) -> str:
        text = without_control_characters(self.cleaned_data["comment"]).strip()
        if not text:
            raise forms.ValidationError(self.fields["comment"].error_messages["required"])
        return text

    def clean_author(self) -> str:
        """No name that could pass for the newsroom's own (comments/impersonation.py)."""
        name = self.cleaned_data["author"]
        if impersonation.imitates_staff(name, self.poster):
            raise forms.ValidationError(
                _(
                    "This name is, or looks like, the name of someone at %(site)s. Please "
                    "comment under a name of your own."
                ),
                code="staff_name",
                params={"site": settings.NEWSROOM_SITE_NAME},
            )
        if impersonation.imitates_badge(name) and not (
            self.poster is not None and moderation.is_moderator(self.poster)
        ):
            raise forms.ValidationError(
                _(
                    "Your name cannot end in “%(badge)s”: on this site that word marks the "
                    "comments of %(site)s's own people. Please leave it out."
                ),
                code="staff_badge",
                params={
                    "badge": pgettext_lazy("comment badge", "Staff"),
                    "site": settings.NEWSROOM_SITE_NAME,
                },
            )
        return name

    def clean_notify_scope(self) -> str:
        return self.cleaned_data.get("notify_scope") or Subscription.Scope.REPLIES

    def clean_parent(self) -> Comment | None:
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = self.article.comments.approved().filter(pk=parent_id).first()
        if parent is None:
            raise forms.ValidationError(
                _(
                    "The comment you are replying to is not on this article or is not "
                    "published. Your reply was not posted; you can post it as a new comment."
                ),
                code="invalid_parent",
            )
        # The rule the page's Reply links follow: a link shown is a reply taken.
        if not moderation.takes_replies(parent, self.discussion):
            raise forms.ValidationError(
                _(
                    "That conversation is nested as deeply as it goes; reply to an earlier "
                    "comment in it instead."
                ),
                code="too_deep",
            )
        return parent

    def clean(self):
        cleaned = super().clean()
        # The parent is a hidden field: show its error where the reader will see it.
        if "parent" in self.errors:
            for error in self.errors.pop("parent").as_data():
                self.add_error(None, error)
        self._check_security(cleaned)
        return cleaned

    def _check_security(self, cleaned: dict) -> None:
        check_bot_traps(cleaned, self.article.pk, TIMESTAMP_SALT, COMMENT_TRAP_MESSAGES)

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            ready_to_send_again(self, self.article.pk, TIMESTAMP_SALT)
            if "email" in self.errors:
                # The fixed note would hide the error from screen readers: name both.
                email = self["email"]
                email.field.widget.attrs["aria-describedby"] = f"email-notes {email.auto_id}_error"


REPORT_TRAP_MESSAGES = {
    "honeypot": _(
        "Your report was not sent: a field meant to stay empty was filled in, as automatic "
        "tools do. If you are a person, clear your browser's autofill for this page and send "
        "it again."
    ),
    "expired": _("This page was open too long for us to accept the report safely: send it again."),
    "tampered": _(
        "Your report was not sent because the form was damaged or altered: send it again."
    ),
    "too_fast": _(
        "That was quicker than anyone can choose, so it looked automatic. Wait a few seconds, "
        "then send your report again."
    ),
}


class ReportForm(forms.Form):
    """A reader's report of an approved comment: what is wrong with it, and a note."""

    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose what is wrong with this comment."),
            "invalid_choice": _("Please choose one of the reasons listed."),
        },
    )
    note = forms.CharField(
        label=_("Note for the editors"),
        required=False,
        max_length=REPORT_NOTE_MAX_LENGTH,
        validators=TEXT_CHECKS,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 45}),
        help_text=_("Needed if you chose “Other”, optional otherwise. At most 1,000 characters."),
    )
    # The comment form's anti-bot measures (check_bot_traps), for this comment's form.
    honeypot = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    timestamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, comment: Comment, **kwargs):
        super().__init__(**kwargs)
        self.comment = comment
        self.fields["timestamp"].initial = form_timestamp(comment.pk, REPORT_TIMESTAMP_SALT)

    def clean_note(self) -> str:
        return without_control_characters(self.cleaned_data["note"]).strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Report.Reason.OTHER and not cleaned.get("note"):
            self.add_error(
                "note",
                forms.ValidationError(
                    _("Please say in a few words what is wrong with this comment."),
                    code="note_required",
                ),
            )
        check_bot_traps(cleaned, self.comment.pk, REPORT_TIMESTAMP_SALT, REPORT_TRAP_MESSAGES)
        return cleaned

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            ready_to_send_again(self, self.comment.pk, REPORT_TIMESTAMP_SALT)
