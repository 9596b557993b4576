"""A character that can be neither stored nor shown (a lone surrogate, which a UTF-7 form body
can spell) is refused beside its field, with a message saying what to do; the rest of what
the reader typed is shown again, the character as a replacement character."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db

MESSAGE = "This contains characters that cannot be stored. Please type it again."


def post_utf7(client, article, **raw: bytes):
    """The form, sent as a multipart body in UTF-7, ``raw`` fields byte for byte."""
    fields = {k: v.encode() for k, v in factories.comment_data(article).items()} | raw
    body = b"".join(
        b'--B0undary\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (name.encode(), value)
        for name, value in fields.items()
    )
    return client.generic(
        "POST",
        reverse("comments:post", kwargs={"article_id": article.pk}),
        body + b"--B0undary--\r\n",
        content_type="multipart/form-data; boundary=B0undary; charset=utf-7",
    )


@pytest.mark.parametrize("field", ["comment", "author", "url"])
def test_a_lone_surrogate_is_refused_beside_its_field_and_shown_again_replaced(
    client, article, field
):
    typed = "https://example.org/" if field == "url" else "Ada "
    value = typed.encode() + b"+2D0-"

    response = post_utf7(client, article, **{field: value})

    assert response.status_code == 400
    form = response.context["comment_section"].form
    assert form.has_error(field, "unstorable")
    assert MESSAGE in response.content.decode()
    assert form[field].value() == typed + "\ufffd"
    assert not Comment.objects.exists()
