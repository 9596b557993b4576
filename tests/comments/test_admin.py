"""The comments admin: the editors' moderation queue."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.admin.models import CHANGE
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from tests.admin_pages import filter_link, history, listed, messages, run_action, statuses
from tests.factories import make_article, make_comment, make_user

CHANGELIST = reverse("admin:comments_comment_changelist")
PENDING = Comment.Status.PENDING
APPROVED = Comment.Status.APPROVED
SPAM = Comment.Status.SPAM
TRASH = Comment.Status.TRASH


# The list


def test_queue_shows_excerpt_author_email_ip_article_status_and_date(editor_client):
    article = make_article(headline="Floods in the valley")
    comment = make_comment(
        article,
        author_name="Grace Hopper",
        author_email="grace@example.org",
        ip_address="198.51.100.7",
        text="A long comment. " * 20,
        status=PENDING,
        submitted_at=datetime(2030, 3, 14, 15, 9, tzinfo=UTC),
    )

    response = editor_client.get(CHANGELIST)

    html = response.text
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if comment.get_admin_url() in r)
    excerpt = re.search(r'class="field-excerpt"><a [^>]*>(.*?)</a>', row)[1]
    assert excerpt.startswith("A long comment. A long comment.")
    assert excerpt.endswith("…")
    assert len(excerpt) <= 80
    assert ">Grace Hopper<" in row
    assert ">grace@example.org<" in row
    assert ">198.51.100.7<" in row
    assert ">Floods in the valley<" in row
    assert ">Pending<" in row
    assert "14 Mar 2030" in row


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("Pending (1)", {PENDING}),
        ("Approved (2)", {APPROVED}),
        ("Spam (1)", {SPAM}),
        ("Trash (0)", set()),
    ],
)
def test_status_filter_shows_counts_and_lists_only_that_status(
    editor_client, article, choice, expected
):
    comments = [make_comment(article, status=s) for s in (PENDING, APPROVED, APPROVED, SPAM)]
    html = editor_client.get(CHANGELIST).text

    response = editor_client.get(filter_link(CHANGELIST, html, "status", choice))

    assert listed(response) == {c for c in comments if c.status in expected}


def test_article_filter_lists_only_that_articles_comments(editor_client):
    wanted = make_comment(make_article(headline="Floods in the valley"))
    make_comment(make_article(headline="Election night"))
    html = editor_client.get(CHANGELIST).text

    response = editor_client.get(filter_link(CHANGELIST, html, "article", "Floods in the valley"))

    assert listed(response) == {wanted}


def test_article_filter_offers_only_articles_with_comments(editor_client):
    make_comment(make_article(headline="Floods in the valley"))
    make_comment(make_article(headline="Election night"))
    make_article(headline="Nobody commented")

    html = editor_client.get(CHANGELIST).text

    choices = re.search(r'data-filter-title="article".*?</details>', html, re.S)[0]
    assert "Floods in the valley" in choices
    assert "Election night" in choices
    assert "Nobody commented" not in choices


@pytest.mark.parametrize(
    ("fields", "term"),
    [
        ({"author_name": "Grace Hopper"}, "hopper"),
        ({"author_email": "grace@navy.example"}, "navy.example"),
        ({"text": "The bridge was closed at dawn."}, "bridge was closed"),
        ({"ip_address": "203.0.113.99"}, "203.0.113.99"),
        ({"ip_address": "203.0.113.99"}, "203.0.113"),
        ({"ip_address": "2001:db8::abcd"}, "2001:db8::abcd"),
    ],
)
def test_search_finds_comments_by_author_email_text_and_ip(editor_client, article, fields, term):
    wanted = make_comment(article, **fields)
    make_comment(
        article,
        author_name="Someone Else",
        author_email="else@example.com",
        text="Unrelated.",
        ip_address="192.0.2.1",
    )

    response = editor_client.get(CHANGELIST, {"q": term})

    assert listed(response) == {wanted}


def test_search_by_name_still_works_alongside_comments_without_ip(editor_client, article):
    wanted = make_comment(article, author_name="Grace Hopper", ip_address=None)

    response = editor_client.get(CHANGELIST, {"q": "Grace"})

    assert listed(response) == {wanted}


def test_search_for_a_whole_email_address_finds_that_commenters_comments(editor_client, article):
    wanted = make_comment(article, author_email="Grace@Navy.example")
    make_comment(article, author_email="amazing.grace@navy.example")
    make_comment(article, author_email="else@example.com", text="Ask grace@navy.example.")

    response = editor_client.get(CHANGELIST, {"q": " grace@NAVY.example "})

    assert listed(response) == {wanted}


def test_search_for_a_whole_ip_address_finds_that_address_only(editor_client, article):
    wanted = make_comment(article, ip_address="192.0.2.1")
    make_comment(article, ip_address="192.0.2.10")

    response = editor_client.get(CHANGELIST, {"q": "192.0.2.1"})

    assert listed(response) == {wanted}


def test_queue_lists_the_newest_comments_first(editor_client, article):
    now = timezone.now()
    old, new, middle = (
        make_comment(article, submitted_at=now - timedelta(days=days)) for days in (3, 1, 2)
    )

    response = editor_client.get(CHANGELIST)

    assert list(response.context["cl"].result_list) == [new, middle, old]


def test_submitted_filter_lists_only_the_past_weeks_comments(editor_client, article):
    recent = make_comment(article, submitted_at=timezone.now() - timedelta(days=2))
    make_comment(article, submitted_at=timezone.now() - timedelta(days=30))
    html = editor_client.get(CHANGELIST).text

    response = editor_client.get(filter_link(CHANGELIST, html, "submitted", "Past 7 days"))

    assert listed(response) == {recent}


def test_queue_shows_readers_markup_as_text(editor_client, article):
    make_comment(
        article,
        author_name='<img src=x onerror="alert(1)">',
        text="<script>alert('editor')</script>",
        status=PENDING,
    )

    html = editor_client.get(CHANGELIST).text

    assert "<script>alert(" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html
    assert "&lt;img src=x" in html


# Bulk moderation


@pytest.mark.parametrize(
    ("action", "before", "after", "message"),
    [
        ("mark_approved", PENDING, APPROVED, "2 comments approved."),
        ("mark_pending", APPROVED, PENDING, "2 comments unapproved."),
        ("mark_spam", PENDING, SPAM, "2 comments marked as spam."),
        ("mark_trash", APPROVED, TRASH, "2 comments moved to the trash."),
    ],
)
def test_action_changes_exactly_the_selected_comments(
    editor_client, article, action, before, after, message
):
    first, second, untouched = (make_comment(article, status=before) for _ in range(3))

    response = run_action(editor_client, action, first, second)

    assert response.status_code == 200
    assert statuses(first, second, untouched) == [after, after, before]
    assert messages(response) == [message]


def test_action_reports_one_comment_in_the_singular(editor_client, article):
    comment = make_comment(article, status=PENDING)

    response = run_action(editor_client, "mark_spam", comment)

    assert messages(response) == ["1 comment marked as spam."]


def test_action_does_not_count_comments_already_in_that_status(editor_client, article):
    already = make_comment(article, status=APPROVED)
    pending = make_comment(article, status=PENDING)

    response = run_action(editor_client, "mark_approved", already, pending)

    assert statuses(already, pending) == [APPROVED, APPROVED]
    assert messages(response) == ["1 comment approved."]
    assert history(already) == []


def test_action_writes_a_history_entry_per_changed_comment(editor_client, editor, article):
    first, second = make_comment(article, status=PENDING), make_comment(article, status=PENDING)
    before = timezone.now()

    run_action(editor_client, "mark_approved", first, second)

    for comment in (first, second):
        [entry] = history(comment)
        assert entry.user == editor
        assert entry.action_flag == CHANGE
        assert before <= entry.action_time <= timezone.now()
        assert "Approved" in entry.get_change_message()
        assert "Pending" in entry.get_change_message()  # what it was


def test_history_page_shows_who_moderated_a_comment(editor_client, article):
    comment = make_comment(article, status=PENDING)
    run_action(editor_client, "mark_spam", comment)

    response = editor_client.get(reverse("admin:comments_comment_history", args=[comment.pk]))

    assert response.status_code == 200
    rows = re.findall(r"<tr>(.*?)</tr>", response.text.split('id="change-history"')[1], re.S)
    assert len(rows) == 2  # the header and one change
    assert "<td>editor</td>" in rows[1]
    assert "Spam" in rows[1]


@pytest.mark.parametrize("action", ["mark_spam", "mark_trash", "mark_pending"])
def test_replies_stay_linked_to_their_parent_when_it_is_moderated(editor_client, article, action):
    parent = make_comment(article, status=APPROVED)
    reply = make_comment(article, parent=parent, status=APPROVED)

    run_action(editor_client, action, parent)
    run_action(editor_client, "mark_approved", parent)

    reply.refresh_from_db()
    assert reply.parent_id == parent.pk
    assert list(Comment.objects.get(pk=parent.pk).replies.all()) == [reply]


def test_reply_keeps_its_parent_when_the_reply_itself_is_moderated(editor_client, article):
    parent = make_comment(article, status=APPROVED)
    reply = make_comment(article, parent=parent, status=PENDING)

    run_action(editor_client, "mark_trash", reply)

    reply.refresh_from_db()
    assert (reply.status, reply.parent_id) == (TRASH, parent.pk)


# Who may do what


def test_comments_cannot_be_added_in_the_admin(editor_client, admin_client):
    add_url = reverse("admin:comments_comment_add")

    assert editor_client.get(add_url).status_code == 403
    assert admin_client.get(add_url).status_code == 403
    assert add_url not in editor_client.get(CHANGELIST).text


def test_editor_is_offered_the_moderation_actions(editor_client, article):
    make_comment(article, status=PENDING)

    html = editor_client.get(CHANGELIST).text

    for name, label in [
        ("mark_approved", "Approve"),
        ("mark_pending", "Unapprove"),
        ("mark_spam", "Mark as spam"),
        ("mark_trash", "Move to trash"),
        ("mark_not_spam", "Not spam"),
        ("restore", "Restore"),
    ]:
        assert f'<option value="{name}">{label}</option>' in html


def test_staff_without_change_permission_is_not_offered_the_actions(client, staff_viewer, article):
    make_comment(article, status=PENDING)
    client.force_login(staff_viewer)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert response.context["action_form"] is None
    assert "mark_approved" not in response.text


@pytest.mark.parametrize("action", ["mark_approved", "mark_pending", "mark_spam", "mark_trash"])
def test_staff_without_change_permission_cannot_moderate_by_posting(
    client, staff_viewer, article, action
):
    comment = make_comment(article, status=PENDING if action != "mark_pending" else APPROVED)
    before = comment.status
    client.force_login(staff_viewer)

    run_action(client, action, comment)

    assert statuses(comment) == [before]
    assert history(comment) == []


def test_staff_without_any_comment_permission_cannot_open_the_queue(client, db):
    client.force_login(make_user("sub", is_staff=True))

    assert client.get(CHANGELIST).status_code == 403


# The pending count on every admin page


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:app_list", args=["comments"]),
    ],
)
def test_admin_pages_show_how_many_comments_await_moderation(editor_client, article, url):
    make_comment(article, status=PENDING)
    make_comment(article, status=PENDING)
    make_comment(article, status=APPROVED)
    make_comment(article, status=SPAM)

    html = editor_client.get(url).text

    pending_url = f"{CHANGELIST}?status=pending"
    assert re.search(
        rf'<a href="{re.escape(pending_url)}"[^>]*>\s*2 comments awaiting moderation\s*</a>', html
    )


def test_pending_count_link_opens_the_pending_queue(editor_client, article):
    pending = make_comment(article, status=PENDING)
    make_comment(article, status=APPROVED)

    response = editor_client.get(CHANGELIST, {"status": "pending"})

    assert listed(response) == {pending}


def test_pending_count_is_singular_for_one_and_says_none_for_zero(editor_client, article):
    assert "No comments awaiting moderation" in editor_client.get(reverse("admin:index")).text

    make_comment(article, status=PENDING)

    assert "1 comment awaiting moderation" in editor_client.get(reverse("admin:index")).text


def test_staff_without_view_comment_permission_does_not_see_the_pending_count(client, article):
    make_comment(article, status=PENDING)
    writer = make_user("writer", is_staff=True)
    writer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(writer)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "awaiting moderation" not in response.text
    assert "Articles" in response.text  # the page itself did render


# Performance


def test_queue_query_count_does_not_grow_with_comments(
    editor_client, django_assert_max_num_queries
):
    def comment_on_a_new_article():
        parent = make_comment(make_article(), status=APPROVED)
        make_comment(
            parent.article,
            parent=parent,
            status=PENDING,
            submitted_at=timezone.now() - timedelta(minutes=5),
        )

    comment_on_a_new_article()
    editor_client.get(CHANGELIST)  # warm caches (content types, permissions)
    # 13 for the page, and one each for the authors' records and the comments answered.
    with django_assert_max_num_queries(15) as few:
        assert len(editor_client.get(CHANGELIST).context["cl"].result_list) == 2

    for _ in range(24):
        comment_on_a_new_article()
    with django_assert_max_num_queries(15) as many:
        assert len(editor_client.get(CHANGELIST).context["cl"].result_list) == 50

    assert len(many) == len(few)


QUEUE_PAGES = [
    pytest.param({}, id="all"),
    pytest.param({"status": PENDING}, id="pending"),
    pytest.param({"q": "reader"}, id="search words"),
    pytest.param({"q": "reader1@example.org"}, id="search an email"),
    pytest.param({"q": "192.0.2.10"}, id="search an IP address"),
]


@pytest.mark.parametrize("params", QUEUE_PAGES)
def test_queue_queries_are_as_few_with_sixty_comments_as_with_ten(
    editor_client, article, django_assert_max_num_queries, params
):
    def add_comments(n: int) -> None:
        for i in range(n):
            parent = make_comment(article, status=[APPROVED, PENDING, SPAM, TRASH][i % 4])
            make_comment(article, parent=parent, status=PENDING)

    add_comments(5)
    editor_client.get(CHANGELIST, params)  # warm caches (content types, permissions)
    # 10; one each for the authors' records and the comments answered; one for
    # "Reported (n)" (comments/admin_reports.py).
    with django_assert_max_num_queries(13) as ten:
        assert editor_client.get(CHANGELIST, params).status_code == 200

    add_comments(25)
    with django_assert_max_num_queries(13) as sixty:
        assert editor_client.get(CHANGELIST, params).status_code == 200

    assert len(sixty) == len(ten)


def test_queue_counts_comments_per_status_once_a_request(
    editor_client, article, django_assert_max_num_queries
):
    make_comment(article, status=PENDING)
    editor_client.get(CHANGELIST)

    with django_assert_max_num_queries(13) as queries:  # with "Reported (n)"
        editor_client.get(CHANGELIST, {"status": PENDING})

    grouped = [
        q["sql"]
        for q in queries.captured_queries
        if "GROUP BY" in q["sql"] and "UPPER" not in q["sql"]  # not the authors' records
    ]
    assert len(grouped) == 1


# Restoring from spam and the trash


@pytest.mark.parametrize(
    ("was", "into", "action", "message"),
    [
        (APPROVED, SPAM, "mark_not_spam", "1 comment restored from spam."),
        (PENDING, SPAM, "mark_not_spam", "1 comment restored from spam."),
        (APPROVED, TRASH, "restore", "1 comment restored from the trash."),
        (PENDING, TRASH, "restore", "1 comment restored from the trash."),
    ],
)
def test_restoring_brings_a_comment_back_to_the_status_it_had(
    editor_client, article, was, into, action, message
):
    comment = make_comment(article, status=was)
    run_action(editor_client, {SPAM: "mark_spam", TRASH: "mark_trash"}[into], comment)
    assert statuses(comment) == [into]

    response = run_action(editor_client, action, comment)

    assert statuses(comment) == [was]
    assert message in messages(response)


@pytest.mark.parametrize(
    ("action", "place", "message"),
    [
        ("restore", TRASH, "2 comments restored from the trash."),
        ("mark_not_spam", SPAM, "2 comments restored from spam."),
    ],
)
def test_restoring_a_mixed_selection_brings_back_all_of_that_place_and_only_those(
    editor_client, article, action, place, message
):
    # Selected from the "All" list: the comments of that place, and others between them.
    now = timezone.now()
    other = TRASH if place == SPAM else SPAM
    was_approved, stays, was_pending, approved = (
        make_comment(article, status=status, previous_status=previous, submitted_at=now - age)
        for status, previous, age in [
            (place, APPROVED, timedelta(hours=4)),
            (other, PENDING, timedelta(hours=3)),
            (place, PENDING, timedelta(hours=2)),
            (APPROVED, "", timedelta(hours=1)),
        ]
    )

    response = run_action(editor_client, action, was_approved, stays, was_pending, approved)

    assert statuses(was_approved, stays, was_pending, approved) == [
        APPROVED,
        other,
        PENDING,
        APPROVED,
    ]
    assert messages(response) == [message]


def test_a_comment_marked_spam_by_the_policy_is_restored_to_pending(editor_client, article):
    comment = make_comment(article, status=SPAM)  # never had another status
    run_action(editor_client, "mark_not_spam", comment)
    assert statuses(comment) == [PENDING]


def test_moving_to_spam_or_trash_records_when(editor_client, article):
    comment = make_comment(article, status=PENDING)
    before = timezone.now()
    run_action(editor_client, "mark_trash", comment)
    comment.refresh_from_db()
    assert comment.status_changed_at >= before
    assert comment.previous_status == PENDING


def test_spam_to_trash_still_remembers_the_status_before_spam(editor_client, article):
    comment = make_comment(article, status=APPROVED)
    run_action(editor_client, "mark_spam", comment)
    run_action(editor_client, "mark_trash", comment)
    run_action(editor_client, "restore", comment)
    assert statuses(comment) == [APPROVED]


def test_editor_opens_and_saves_a_comment_in_the_admin(editor_client, editor, article):
    comment = make_comment(article, status=PENDING, author_url="https://old.example")
    change_url = reverse("admin:comments_comment_change", args=[comment.pk])

    page = editor_client.get(change_url)
    saved = editor_client.post(
        change_url,
        {
            "status": APPROVED,
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": "new.example",
            "text": "Edited by the desk.",
        },
    )

    assert page.status_code == 200
    assert saved.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.author_url, comment.text) == (
        APPROVED,
        "https://new.example",
        "Edited by the desk.",
    )
    assert history(comment)[0].user == editor


def test_status_changed_in_the_form_is_dated_and_restorable(editor_client, article):
    comment = make_comment(article, status=APPROVED)
    change_url = reverse("admin:comments_comment_change", args=[comment.pk])
    before = timezone.now()

    editor_client.post(
        change_url,
        {
            "status": TRASH,
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": "",
            "text": comment.text,
        },
    )
    run_action(editor_client, "restore", comment)

    comment.refresh_from_db()
    assert comment.status == APPROVED
    assert comment.status_changed_at >= before


def test_queue_shows_per_status_counts_above_the_list(editor_client, article):
    make_comment(article, status=PENDING)
    make_comment(article, status=PENDING)
    make_comment(article, status=APPROVED)
    make_comment(article, status=TRASH)

    html = editor_client.get(CHANGELIST, {"status": "pending"}).text
    views = re.search(r'<p class="comment-status-views">(.*?)</p>', html, re.S)[1]

    assert re.sub(r"<[^>]+>", "", views) == (
        "All (4) · Pending (2) · Approved (1) · Spam (0) · Trash (1)"
    )
    # The current view is marked; the others are links. (Each count is in a span the
    # moderation desk's script updates after an action.)
    counts = re.sub(r"</?span[^>]*>", "", views)
    assert "<strong>Pending (2)</strong>" in counts
    assert '<a href="?status=trash">Trash (1)</a>' in counts
