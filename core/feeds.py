"""Atom feeds whose summaries are plain text: notes are written as text, and a reader must show
them as such, never interpret markup in them (RFC 4287, 3.1.1)."""

from django.utils.feedgenerator import Atom1Feed


class PlainTextAtomFeed(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
