"""An Atom feed (RFC 4287) of the changelog, per locale. Nothing in it depends on when it is built."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"


def stable_id(*parts: str) -> str:
    """A URN that is the same in every build of the same site (RFC 4122 name-based UUID)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)).urn


def atom_feed(
    *,
    title: str,
    lang: str,
    author: str,
    self_url: str,
    page_url: str,
    feed_key: str,
    entries: list[dict[str, str]],
) -> str:
    """entries: dicts with key, title, updated (YYYY-MM-DD), url and summary; newest first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    ET.SubElement(feed, f"{{{ATOM}}}id").text = stable_id(feed_key)
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    updated = max((entry["updated"] for entry in entries), default="1970-01-01")
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = f"{updated}T00:00:00Z"
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = author
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": self_url})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page_url})
    for entry in entries:
        element = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(element, f"{{{ATOM}}}id").text = stable_id(feed_key, entry["key"])
        ET.SubElement(element, f"{{{ATOM}}}title").text = entry["title"]
        ET.SubElement(element, f"{{{ATOM}}}updated").text = f"{entry['updated']}T00:00:00Z"
        ET.SubElement(element, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": entry["url"]})
        ET.SubElement(element, f"{{{ATOM}}}summary").text = entry["summary"]
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
