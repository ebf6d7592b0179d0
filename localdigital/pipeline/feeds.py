"""Atom 1.0 and JSON Feed 1.1 documents of public Pipeline activity.

Entries carry stable ids: tag URIs (RFC 4151) naming the Hub's host, the day the event
happened and the event itself, so a reader never shows an entry twice, even when an item's
title or address changes. ElementTree escapes all text; JSON is written by `json`.
"""

import datetime as dt
import json
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from localdigital.pipeline.selectors.activity import NEW_ITEM, Activity

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"
JSON_FEED_CONTENT_TYPE = "application/feed+json; charset=utf-8"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

ET.register_namespace("", ATOM_NS)


@dataclass(frozen=True)
class FeedInfo:
    """What a feed is about, and where it and the page it follows live (paths on this site)."""

    title: str
    description: str
    page_path: str
    atom_path: str
    json_path: str


def _host(request: HttpRequest) -> str:
    # A tag URI's authority is a domain name: no port.
    return request.get_host().split(":")[0]


def entry_id(request: HttpRequest, event: Activity) -> str:
    """The entry's permanent id, e.g. tag:hub.example,2026-03-01:pipeline/updates/12."""
    return f"tag:{_host(request)},{timezone.localdate(event.at):%Y-%m-%d}:{event.key}"


def entry_title(event: Activity) -> str:
    if event.update is not None:
        return f"{event.item.title}: {event.update.title}"
    return f"New {event.item.get_kind_display().lower()}: {event.item.title}"


def entry_url(request: HttpRequest, event: Activity) -> str:
    url = request.build_absolute_uri(event.item.get_absolute_url())
    if event.update is not None:
        return f"{url}#update-{event.update.pk}"
    return url


def entry_author(event: Activity) -> str:
    if event.update is not None:
        return event.update.organisation.short_name
    return event.item.organisation.short_name


def entry_text(event: Activity) -> str:
    """The entry's body as plain text: the update's own words, or the new item's summary."""
    if event.update is not None:
        return event.update.body
    return event.item.summary


def entry_summary(event: Activity) -> str:
    item = event.item
    if event.kind == NEW_ITEM:
        parts = [item.summary]
    else:
        parts = [f"An update on {item.title}, led by {item.organisation.short_name}."]
    details = [item.get_phase_display(), item.get_collaboration_level_display()]
    if item.service_area is not None:
        details.insert(0, item.service_area.name)
    parts.append(" · ".join(details))
    return " ".join(parts)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _updated(event: Activity) -> dt.datetime:
    # An update edited after it was posted says so; a new item's entry is the day it appeared.
    if event.update is not None:
        return max(event.update.updated_at, event.update.created_at)
    return event.at


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def atom_response(request: HttpRequest, info: FeedInfo, events: list[Activity]) -> HttpResponse:
    """The events as an Atom 1.0 feed."""
    root = ET.Element(f"{{{ATOM_NS}}}feed", {"xml:lang": "en-GB"})
    feed_url = request.build_absolute_uri(info.atom_path)
    _sub(root, "id", feed_url)
    _sub(root, "title", info.title)
    _sub(root, "subtitle", info.description)
    _sub(root, "updated", _iso(max((_updated(e) for e in events), default=timezone.now())))
    _sub(root, "link", rel="self", type="application/atom+xml", href=feed_url)
    _sub(
        root,
        "link",
        rel="alternate",
        type="text/html",
        href=request.build_absolute_uri(info.page_path),
    )
    _sub(root, "generator", "Local Digital Hub")
    for event in events:
        entry = _sub(root, "entry")
        _sub(entry, "id", entry_id(request, event))
        _sub(entry, "title", entry_title(event))
        _sub(entry, "link", rel="alternate", type="text/html", href=entry_url(request, event))
        _sub(entry, "published", _iso(event.at))
        _sub(entry, "updated", _iso(_updated(event)))
        author = _sub(entry, "author")
        _sub(author, "name", entry_author(event))
        _sub(entry, "summary", entry_summary(event), type="text")
        _sub(entry, "content", entry_text(event), type="text")
        for tag in event.tags:
            _sub(entry, "category", term=tag.slug, label=tag.name)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type=ATOM_CONTENT_TYPE)


def json_feed_response(
    request: HttpRequest, info: FeedInfo, events: list[Activity]
) -> HttpResponse:
    """The events as a JSON Feed 1.1 document."""
    document = {
        "version": JSON_FEED_VERSION,
        "title": info.title,
        "description": info.description,
        "home_page_url": request.build_absolute_uri(info.page_path),
        "feed_url": request.build_absolute_uri(info.json_path),
        "language": "en-GB",
        "items": [
            {
                "id": entry_id(request, event),
                "url": entry_url(request, event),
                "title": entry_title(event),
                "summary": entry_summary(event),
                "content_text": entry_text(event),
                "date_published": _iso(event.at),
                "date_modified": _iso(_updated(event)),
                "authors": [{"name": entry_author(event)}],
                "tags": [tag.name for tag in event.tags],
            }
            for event in events
        ],
    }
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=JSON_FEED_CONTENT_TYPE
    )
