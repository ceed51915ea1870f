"""Tagging stage: one section and the place tags for an article (plain Python, no models)."""

from newsdesk.tagging.places import Place, all_places, find_places, place_by_slug
from newsdesk.tagging.sections import SECTIONS, classify_section

__all__ = [
    "SECTIONS",
    "Place",
    "all_places",
    "classify_section",
    "find_places",
    "place_by_slug",
]
