"""Annotator: code policy texts, record stances, link passages across documents."""

__version__ = "0.1.0"
