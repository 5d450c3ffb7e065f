"""Thin views fed by the session: they show data and emit what the user did."""
