"""An outside spam check (Akismet), when one is configured.

Off unless ``NEWSROOM_AKISMET_KEY`` is set: then every new comment is sent to Akismet's
comment-check before it is saved, and the answer is a ``Verdict`` for the moderation policy.
A check that cannot be made (network, timeout, error status, rejected key, an answer that is
neither yes nor no) is ``UNKNOWN`` and logged; it never raises, so no comment is lost.
"""

import enum
import functools
import logging

import akismet
import httpx
from django.conf import settings

from comments.models import Comment

logger = logging.getLogger(__name__)

# Where the akismet package sends its requests; NEWSROOM_AKISMET_API_URL may point elsewhere.
AKISMET_API_URL = "https://rest.akismet.com"


class Verdict(enum.Enum):
    HAM = "ham"
    SPAM = "spam"
    UNKNOWN = "unknown"  # the service could not be asked or did not answer
    NOT_CHECKED = "not checked"  # no service configured


def check(comment: Comment) -> Verdict:
    """Akismet's verdict on an unsaved ``comment``; ``NOT_CHECKED`` without a key."""
    key = settings.NEWSROOM_AKISMET_KEY
    if not key:
        return Verdict.NOT_CHECKED
    try:
        client = _client(
            key,
            settings.NEWSROOM_SITE_URL,
            settings.NEWSROOM_AKISMET_API_URL or AKISMET_API_URL,
            settings.NEWSROOM_AKISMET_TIMEOUT,
        )
        answer = client.comment_check(
            user_ip=comment.ip_address or "",
            user_agent=comment.user_agent,
            comment_type="comment",
            comment_author=comment.author_name,
            comment_author_email=comment.author_email,
            comment_author_url=comment.author_url,
            comment_content=comment.text,
            permalink=settings.NEWSROOM_SITE_URL + comment.article.get_absolute_url(),
            blog_lang="en",
        )
    except akismet.AkismetError as error:
        logger.warning("Akismet could not check a comment, so it is held: %s", error)
        return Verdict.UNKNOWN
    except Exception:
        # A spam check must never lose a comment: whatever went wrong, hold it.
        logger.warning("Akismet check failed unexpectedly; the comment is held.", exc_info=True)
        return Verdict.UNKNOWN
    if answer in (akismet.CheckResponse.SPAM, akismet.CheckResponse.DISCARD):
        return Verdict.SPAM
    return Verdict.HAM


@functools.lru_cache(maxsize=4)
def _client(key: str, site_url: str, api_url: str, timeout: float) -> akismet.SyncClient:
    """One client per configuration, kept for the process so its connections are reused.

    Built with the plain constructor, which does not ask Akismet's verify-key: a rejected
    key shows as an "invalid" answer to comment-check, which ``check`` logs.
    """
    if api_url.rstrip("/") == AKISMET_API_URL:
        transport = httpx.HTTPTransport()
    else:
        transport = _RedirectedTransport(httpx.URL(api_url))
    http_client = httpx.Client(
        headers={"User-Agent": akismet.USER_AGENT},
        timeout=timeout,
        transport=transport,
    )
    return akismet.SyncClient(akismet.Config(key=key, url=site_url), http_client=http_client)


class _RedirectedTransport(httpx.HTTPTransport):
    """Sends each request to ``api_url`` (scheme, host, port and path prefix) instead.

    The akismet package asks for absolute addresses under its own constant
    (``https://rest.akismet.com/1.1/comment-check``), so an httpx ``base_url`` would be
    ignored; the transport is the one place to send them elsewhere.
    """

    def __init__(self, api_url: httpx.URL, **kwargs) -> None:
        if api_url.scheme not in ("http", "https") or not api_url.host:
            raise ValueError(f"NEWSROOM_AKISMET_API_URL is not an http(s) address: {api_url}")
        super().__init__(**kwargs)
        self.api_url = api_url

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self.api_url.scheme,
            host=self.api_url.host,
            port=self.api_url.port,
            path=self.api_url.path.rstrip("/") + request.url.path,
        )
        request.headers["Host"] = request.url.netloc.decode("ascii")
        return super().handle_request(request)
