"""Freshness: every item has a review-by date so nothing is "added and forgotten about"."""

import datetime as dt

from localdigital.pipeline.models import Item

REVIEW_PERIOD_DAYS = 90


def review_by_after(moment: dt.datetime) -> dt.date:
    """The review-by date for an item last updated or confirmed at `moment`."""
    return moment.date() + dt.timedelta(days=REVIEW_PERIOD_DAYS)


def touch(item: Item, *, now: dt.datetime) -> list[str]:
    """Mark the item as updated now (an edit, a status update or a "still current" click):
    moves its review-by date on. Returns the fields changed, for save(update_fields=...)."""
    item.last_activity_at = now
    item.last_reviewed_at = now
    item.review_by = review_by_after(now)
    item.review_nudged_at = None
    return ["last_activity_at", "last_reviewed_at", "review_by", "review_nudged_at"]
