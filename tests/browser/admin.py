"""What an editor does in the admin, in the browser: signing in, choosing from a list that
searches as they type."""

from playwright.sync_api import Page


def sign_in(page: Page, username: str, password: str, *, then: str = "/admin/") -> None:
    """Sign in on the admin's sign-in page and wait to arrive at ``then``: the sign-in page
    has its own ``#content-main``, so acting before the next page loads would act there."""
    page.goto(f"/admin/login/?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)
    page.wait_for_load_state()


def choose(page: Page, field: str, typed: str, option: str) -> None:
    """Choose ``option`` in the admin's autocomplete for ``field`` (a featured image, a
    section…) by opening it and typing ``typed``, as an editor does."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.get_by_role("option", name=option).click()
