"""A commenter asks for their data: editors export it, or erase it, from the admin."""

import json
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.test import Client
from django.urls import reverse

from comments import privacy, services
from comments.models import Comment
from tests.admin_pages import history
from tests.factories import make_comment, make_user

pytestmark = pytest.mark.django_db

EMAIL = "ada.reader@example.org"
PRIVACY = reverse("admin:comments_comment_privacy")
EXPORT = reverse("admin:comments_comment_privacy_export")
ERASE = reverse("admin:comments_comment_privacy_erase")
CHANGELIST = reverse("admin:comments_comment_changelist")
PENDING = Comment.Status.PENDING
APPROVED = Comment.Status.APPROVED
SPAM = Comment.Status.SPAM
TRASH = Comment.Status.TRASH


def ada(article, **fields) -> Comment:
    """A comment by Ada, who will ask for her data."""
    return make_comment(
        article,
        **{
            "author_name": "Ada Reader",
            "author_email": EMAIL,
            "author_url": "https://ada.example",
            "ip_address": "192.0.2.77",
            "user_agent": "Firefox/140",
            **fields,
        },
    )


def fresh(comment: Comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


def messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def adas(article):
    """Ada's comments in every status, one with her address in capitals, and one reply."""
    comments = [
        ada(article, status=APPROVED, text="First!"),
        ada(article, status=PENDING, text="Second thoughts."),
        ada(article, status=SPAM, text="Buy now."),
        ada(article, status=TRASH, text="Oops."),
        ada(article, status=APPROVED, author_email=EMAIL.upper(), text="Shouting."),
    ]
    make_comment(article, parent=comments[0], author_name="Bob", author_email="bob@example.org")
    return comments


# Anonymising an address


@pytest.mark.parametrize(
    ("ip", "anonymised"),
    [
        ("192.0.2.77", "192.0.2.0"),
        ("192.0.2.0", "192.0.2.0"),
        ("10.1.2.255", "10.1.2.0"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
        ("2001:db8::1", "2001:db8::"),
        ("2001:db8:0:0:1::", "2001:db8::"),
        ("2001:db8:1:2::", "2001:db8:1:2::"),
        ("::1", "::"),
        ("::ffff:192.0.2.77", "::ffff:192.0.2.0"),
        (" 192.0.2.77 ", "192.0.2.0"),
        ("not an address", None),
        ("", None),
        (None, None),
    ],
)
def test_ip_keeps_only_its_network(ip, anonymised):
    assert privacy.anonymise_ip(ip) == anonymised


# Export


def test_export_has_every_comment_with_the_address_in_any_status_and_case(article, adas):
    exported = privacy.export_comments(EMAIL.title())
    assert [c["id"] for c in exported] == [c.pk for c in adas]
    assert {c["status"] for c in exported} == {APPROVED, PENDING, SPAM, TRASH}


def test_export_holds_everything_stored_about_each_comment(article):
    parent = make_comment(article)
    comment = ada(article, parent=parent, status=SPAM)
    comment.refresh_from_db()
    [exported] = privacy.export_comments(EMAIL)
    assert exported == {
        "id": comment.pk,
        "article": article.headline,
        "article_url": f"http://127.0.0.1:8000{article.get_absolute_url()}",
        "in_reply_to": parent.pk,
        "status": "spam",
        "name": "Ada Reader",
        "email": EMAIL,
        "website": "https://ada.example",
        "text": comment.text,
        "ip_address": "192.0.2.77",
        "user_agent": "Firefox/140",
        "submitted_at": comment.submitted_at.isoformat(),
        "status_changed_at": comment.status_changed_at.isoformat(),
    }


def test_export_leaves_out_everyone_else(article, adas):
    make_comment(article, author_email="ada.reader@example.net", text="Not Ada.")
    exported = privacy.export_comments(EMAIL)
    assert [c["id"] for c in exported] == [c.pk for c in adas]
    for outsider in ("bob@example.org", "Bob", "ada.reader@example.net", "Not Ada."):
        assert outsider not in json.dumps(exported)


def test_export_of_a_blank_address_is_empty_even_after_erasing(article, adas):
    services.erase_personal_data(EMAIL)
    assert privacy.export_comments("") == []
    assert privacy.export_comments("  ") == []


# Erase


def test_erase_anonymises_exactly_the_personal_fields(article):
    parent = make_comment(article)
    comment = fresh(ada(article, parent=parent, status=PENDING))
    assert len(services.erase_personal_data(EMAIL).comments) == 1
    erased = fresh(comment)
    assert (erased.author_name, erased.author_email, erased.author_url) == ("Anonymous", "", "")
    assert (erased.ip_address, erased.user_agent) == ("192.0.2.0", "")
    kept = ["article_id", "parent_id", "text", "status", "submitted_at", "status_changed_at"]
    assert [getattr(erased, f) for f in kept] == [getattr(comment, f) for f in kept]


def test_erase_keeps_only_the_first_half_of_an_ipv6_address(article):
    comment = ada(article, ip_address="2001:db8:1:2:aaaa:bbbb:cccc:dddd")
    services.erase_personal_data(EMAIL)
    assert fresh(comment).ip_address == "2001:db8:1:2::"


def test_erase_covers_spam_trash_and_any_case_and_says_how_many(article, adas):
    assert len(services.erase_personal_data(EMAIL).comments) == 5
    assert {c.author_name for c in map(fresh, adas)} == {"Anonymous"}
    assert {c.status for c in map(fresh, adas)} == {APPROVED, PENDING, SPAM, TRASH}


def test_erase_leaves_no_trace_of_the_address(article, adas):
    before = {c.pk: c.content_hash for c in map(fresh, adas)}
    services.erase_personal_data(EMAIL)
    for comment in map(fresh, adas):
        # The hash is hex digits, which may spell "ada" by chance: it is checked below.
        fields = [f for f in Comment._meta.concrete_fields if f.attname != "content_hash"]
        values = [str(getattr(comment, f.attname)) for f in fields]
        assert not any("ada" in value.lower() for value in values)
        assert comment.content_hash != before[comment.pk]  # the hash was made from the email
    assert not Comment.objects.filter(author_email__iexact=EMAIL).exists()


def test_erase_leaves_other_people_alone(article, adas):
    bob = fresh(Comment.objects.get(author_name="Bob"))
    services.erase_personal_data(EMAIL)
    after = fresh(bob)
    assert (after.author_name, after.author_email, after.ip_address, after.user_agent) == (
        "Bob",
        "bob@example.org",
        "192.0.2.10",
        "pytest",
    )
    assert after.parent_id == adas[0].pk  # still a reply to the erased comment


def test_erasing_again_finds_nothing_and_changes_nothing(article, adas):
    services.erase_personal_data(EMAIL)
    snapshot = list(Comment.objects.values())
    assert len(services.erase_personal_data(EMAIL).comments) == 0
    assert list(Comment.objects.values()) == snapshot


def test_two_peoples_identical_replies_can_both_be_erased(article):
    """Both become ("Anonymous", "", "+1") under one parent: still not duplicates."""
    parent = make_comment(article)
    mine = ada(article, parent=parent, text="+1")
    theirs = make_comment(article, parent=parent, text="+1", author_email="eve@example.org")
    services.erase_personal_data(EMAIL)
    services.erase_personal_data("eve@example.org")
    assert {fresh(mine).author_name, fresh(theirs).author_name} == {"Anonymous"}
    assert fresh(mine).content_hash != fresh(theirs).content_hash


def test_erased_comments_can_still_be_moderated(article):
    parent = make_comment(article)
    trashed = ada(article, parent=parent, text="+1", status=TRASH)
    make_comment(article, parent=parent, text="+1", author_email="eve@example.org")
    services.erase_personal_data(EMAIL)
    services.erase_personal_data("eve@example.org")
    services.restore([fresh(trashed)], TRASH)
    assert fresh(trashed).status == PENDING


def test_erased_comment_stays_in_its_thread_as_anonymous(client, article):
    comment = ada(article, text="A thought worth keeping.")
    reply = make_comment(article, parent=comment, text="A reply to it.")
    services.erase_personal_data(EMAIL)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "A thought worth keeping." in html and "Anonymous" in html
    assert "Ada Reader" not in html and "ada.example" not in html
    assert fresh(reply).parent_id == comment.pk


# The admin page


def test_privacy_tool_is_linked_from_the_comments_list(editor_client):
    html = editor_client.get(CHANGELIST).content.decode()
    assert f'<a href="{PRIVACY}">Privacy requests</a>' in html


def test_privacy_page_asks_for_an_address(editor_client):
    response = editor_client.get(PRIVACY)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_email"' in html and 'name="email"' in html
    assert "Export as JSON" not in html  # nothing to export before a look-up
    assert f'<a href="{CHANGELIST}">Comments</a>' in html  # breadcrumbs


def test_look_up_says_how_many_comments_per_status(editor_client, article, adas):
    response = editor_client.post(PRIVACY, {"email": EMAIL})
    html = response.content.decode()
    counts = dict(re.findall(r'<tr><th scope="row">(\w+)</th><td>(\d+)</td></tr>', html))
    assert counts == {"Pending": "1", "Approved": "2", "Spam": "1", "Trash": "1", "Total": "5"}
    assert 'value="Export as JSON"' in html and 'value="Erase"' in html


def test_look_up_of_an_unknown_address_says_there_are_none(editor_client, article, adas):
    html = editor_client.post(PRIVACY, {"email": "nobody@example.org"}).content.decode()
    assert "No comments carry nobody@example.org." in html
    assert "Export as JSON" not in html


def test_look_up_of_something_that_is_not_an_address_says_so(editor_client):
    response = editor_client.post(PRIVACY, {"email": "ada at example"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]


def test_export_downloads_a_json_file(editor_client, article, adas):
    response = editor_client.post(EXPORT, {"email": EMAIL})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="comments-{EMAIL}.json"'
    data = json.loads(response.content)
    assert data["email"] == EMAIL
    assert data["comments"] == privacy.export_comments(EMAIL)
    assert "bob@example.org" not in response.content.decode()


def test_export_of_an_invalid_address_downloads_nothing(editor_client):
    response = editor_client.post(EXPORT, {"email": "ada at example"})
    assert response.status_code == 400
    assert "Content-Disposition" not in response


def test_erase_first_says_exactly_what_will_happen_and_changes_nothing(
    editor_client, article, adas
):
    snapshot = list(Comment.objects.values())
    response = editor_client.post(ERASE, {"email": EMAIL})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Erasing anonymises all 5 comments that carry {EMAIL}:" in html
    for effect in ("“Anonymous”", "blanked", "network", "text, dates, status and place"):
        assert effect in html
    assert 'name="confirm" value="yes"' in html
    assert all(f'href="{c.get_admin_url()}"' in html for c in adas)
    assert list(Comment.objects.values()) == snapshot


def test_confirmed_erase_anonymises_and_says_how_many(editor_client, article, adas):
    response = editor_client.post(ERASE, {"email": EMAIL, "confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(PRIVACY, 302)]
    assert messages(response) == ["5 comments anonymised."]
    assert not Comment.objects.filter(author_email__iexact=EMAIL).exists()
    assert Comment.objects.filter(author_name="Anonymous").count() == 5


def test_erase_message_is_singular_for_one(editor_client, article):
    ada(article)
    response = editor_client.post(ERASE, {"email": EMAIL, "confirm": "yes"}, follow=True)
    assert messages(response) == ["1 comment anonymised."]


def test_erase_writes_a_history_entry_per_comment(editor_client, editor, article, adas):
    editor_client.post(ERASE, {"email": EMAIL, "confirm": "yes"})
    for comment in adas:
        [entry] = history(comment)
        assert (entry.user, entry.action_flag) == (editor, CHANGE)
        assert entry.get_change_message() == "Personal data erased on request."
        assert "Ada" not in entry.object_repr
    assert history(Comment.objects.get(author_name="Bob")) == []


def test_erase_of_an_unknown_address_says_there_is_nothing_to_erase(editor_client, article):
    html = editor_client.post(ERASE, {"email": "nobody@example.org"}).content.decode()
    assert "there is nothing to erase" in html
    assert 'name="confirm"' not in html


# Who may use it


def test_staff_who_may_only_view_comments_can_export_but_not_erase(
    client, staff_viewer, article, adas
):
    client.force_login(staff_viewer)
    html = client.post(PRIVACY, {"email": EMAIL}).content.decode()
    assert 'value="Export as JSON"' in html and 'value="Erase"' not in html
    assert client.post(EXPORT, {"email": EMAIL}).status_code == 200
    assert client.post(ERASE, {"email": EMAIL}).status_code == 403
    assert client.post(ERASE, {"email": EMAIL, "confirm": "yes"}).status_code == 403
    assert fresh(adas[0]).author_email == EMAIL


@pytest.mark.parametrize(
    ("url", "data"),
    [(PRIVACY, {}), (PRIVACY, {"email": EMAIL}), (EXPORT, {"email": EMAIL})]
    + [(ERASE, {"email": EMAIL, "confirm": "yes"})],
    ids=["page", "look-up", "export", "erase"],
)
def test_staff_without_comment_permissions_are_refused(client, article, adas, url, data):
    client.force_login(make_user("writer", is_staff=True))
    response = client.post(url, data) if data else client.get(url)
    assert response.status_code == 403
    assert EMAIL not in response.content.decode()
    assert fresh(adas[0]).author_email == EMAIL


@pytest.mark.parametrize("url", [PRIVACY, EXPORT, ERASE])
def test_anonymous_visitors_are_sent_to_log_in(client, article, adas, url):
    response = client.post(url, {"email": EMAIL, "confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert fresh(adas[0]).author_email == EMAIL


@pytest.mark.parametrize("url", [PRIVACY, EXPORT, ERASE])
def test_get_never_changes_anything(editor_client, article, adas, url):
    snapshot = list(Comment.objects.values())
    response = editor_client.get(url, {"email": EMAIL, "confirm": "yes"})
    assert response.status_code == (200 if url == PRIVACY else 405)
    assert list(Comment.objects.values()) == snapshot
    assert not LogEntry.objects.exists()


def test_erase_without_the_csrf_token_is_refused(editor, article, adas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(ERASE, {"email": EMAIL, "confirm": "yes"})
    assert response.status_code == 403
    assert fresh(adas[0]).author_email == EMAIL
