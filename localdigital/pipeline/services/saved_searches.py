"""Saved Pipeline searches that email people when a new item matches."""


def saved_searches_notify_for_item(*, item_id: int) -> int:
    """Tell each person whose saved search matches the item, once. Returns how many were told."""
    return 0  # not yet: the find helper implements this
