"""Background work that follows a change to an item, enqueued once the transaction commits.

The matcher refreshes the item's "similar work" (and tells owners of close matches once), and
saved searches email the people whose searches a newly visible item matches.
"""

from django.db import transaction

from localdigital.pipeline.models import Item


def item_changed(item: Item, *, newly_visible: bool) -> None:
    """Call from every service that creates or changes an item's text, visibility or status.

    `newly_visible` is True when the item has just become visible beyond its own organisation
    (created as public or members-only, or published from draft): saved searches then run."""
    from localdigital.pipeline.matching.engine import build_document
    from localdigital.pipeline.matching.tasks import refresh_item_matches
    from localdigital.pipeline.tasks import notify_saved_searches

    # The features are cheap and make the item findable by search at once; comparing it with
    # every other item is the background task's job.
    build_document(item)
    item_id = item.pk
    transaction.on_commit(lambda: refresh_item_matches.enqueue(item_id))
    if newly_visible:
        transaction.on_commit(lambda: notify_saved_searches.enqueue(item_id))
