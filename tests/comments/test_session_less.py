"""Code that builds a page from a request no session middleware saw (a request factory's, a
management command's) finds no commenter in it, rather than failing."""

from django.test import RequestFactory

from comments import session


def test_a_request_without_a_session_has_no_own_comments_and_no_saved_details():
    request = RequestFactory().get("/")

    assert session.own_comment_ids(request) == []
    assert session.saved_details(request) == {}
