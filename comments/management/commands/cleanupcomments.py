"""Age out comment data, daily from cron: purge old spam and trash, anonymise old IPs."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from comments import privacy, reports, services, subscriptions


class Command(BaseCommand):
    help = (
        "Delete spam and trash older than NEWSROOM_PURGE_DAYS days (counted from when they "
        "became spam or trash; replies move up to the deleted comment's parent), and anonymise "
        "the IP address and user agent of comments submitted more than NEWSROOM_ANONYMISE_DAYS "
        "days ago. 0 turns either off. For cron: silent when there was nothing to do, one "
        "summary line when there was; -v 2 also lists each deleted comment; -v 0 says nothing. "
        "--dry-run lists what would be deleted and counts what would be anonymised. Readers' "
        "reports go too: those an editor acted on more than NEWSROOM_PURGE_DAYS days ago are "
        "deleted, and the address of any older than NEWSROOM_ANONYMISE_DAYS days is forgotten. "
        "Also forgets follow-up email subscriptions nobody confirmed within "
        f"{subscriptions.CONFIRM_DAYS} days."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be deleted and anonymised; change nothing.",
        )

    def handle(self, *args, dry_run: bool, verbosity: int, **options):
        purge_days = _days("NEWSROOM_PURGE_DAYS")
        anonymise_days = _days("NEWSROOM_ANONYMISE_DAYS")
        now = timezone.now()
        # Dry run: list at -v 1, as that is what it is for. Real run: list at -v 2.
        listing = verbosity >= (1 if dry_run else 2)
        deleted = moved = anonymised = 0
        with transaction.atomic():
            if purge_days:
                doomed = privacy.purgeable(now - timedelta(days=purge_days))
                if listing:
                    for comment in doomed.select_related("article").order_by("pk"):
                        self._say_deleted(comment, dry_run)
                if dry_run:
                    deleted = doomed.count()
                else:
                    deleted, moved = services.delete_comments(doomed)
            elif verbosity >= 2:
                self.stdout.write("Purging spam and trash is off (NEWSROOM_PURGE_DAYS = 0).")
            if anonymise_days:
                old = privacy.identifying(now - timedelta(days=anonymise_days))
                if dry_run and purge_days:  # those about to be deleted need no anonymising
                    old = old.exclude(pk__in=doomed.values("pk"))
                anonymised = privacy.anonymise_network_data(old, dry_run=dry_run)
            elif verbosity >= 2:
                self.stdout.write("Anonymising IPs is off (NEWSROOM_ANONYMISE_DAYS = 0).")
            reports_done = reports.clean_up(
                now, purge_days=purge_days, anonymise_days=anonymise_days, dry_run=dry_run
            )
            forgotten = subscriptions.forget_unconfirmed(now, dry_run=dry_run)
        if verbosity >= 2 or (verbosity >= 1 and (dry_run or deleted or anonymised)):
            self.stdout.write(_summary(dry_run, deleted, moved, anonymised))
        if verbosity >= 1 and any(reports_done):
            self.stdout.write(_reports_summary(dry_run, *reports_done))
        if forgotten and verbosity >= 1:
            verb = "Would forget" if dry_run else "Forgot"
            self.stdout.write(
                f"{verb} {forgotten} follow-up email subscription{'' if forgotten == 1 else 's'} "
                f"nobody confirmed within {subscriptions.CONFIRM_DAYS} days."
            )

    def _say_deleted(self, comment, dry_run: bool) -> None:
        verb = "Would delete" if dry_run else "Deleting"
        self.stdout.write(
            f"{verb} comment {comment.pk} ({comment.get_status_display().lower()} since "
            f"{comment.status_changed_at:%Y-%m-%d}) on "
            f"“{Truncator(comment.article.headline).chars(60)}”."
        )


def _days(name: str) -> int:
    days = getattr(settings, name)
    if days < 0:
        raise CommandError(f"{name} is {days}: use a number of days, or 0 for never.")
    return days


def _summary(dry_run: bool, deleted: int, moved: int, anonymised: int) -> str:
    if dry_run:
        return (
            f"Would delete {_comments(deleted)} from spam and trash and anonymise the IP "
            f"address and user agent of {_comments(anonymised)}. Nothing was changed."
        )
    if not (deleted or anonymised):
        return "Nothing to delete or anonymise."
    done = []
    if deleted:
        replies = f" ({moved} repl{'y' if moved == 1 else 'ies'} moved up)" if moved else ""
        done.append(f"deleted {_comments(deleted)} from spam and trash{replies}")
    if anonymised:
        done.append(f"anonymised the IP address and user agent of {_comments(anonymised)}")
    sentence = "; ".join(done)
    return f"{sentence[0].upper()}{sentence[1:]}."


def _comments(n: int) -> str:
    return f"{n} comment{'' if n == 1 else 's'}"


def _reports_summary(dry_run: bool, deleted: int, anonymised: int) -> str:
    reports = f"{deleted} report{'' if deleted == 1 else 's'} editors acted on"
    addresses = f"the address of {anonymised} report{'' if anonymised == 1 else 's'}"
    if dry_run:
        return f"Would delete {reports} and forget {addresses}. Nothing was changed."
    return f"Deleted {reports} and forgot {addresses}."
