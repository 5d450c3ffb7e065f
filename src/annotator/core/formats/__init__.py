"""Interchange formats: one module per format, each reading and writing plain records."""


class FormatError(Exception):
    """A file that cannot be read as its format says; the message is one line for the user."""
