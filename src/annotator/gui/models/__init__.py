"""Qt item models: thin adapters over the session's plain records."""
