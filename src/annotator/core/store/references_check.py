"""Questions about records that name deleted ones: what a merge must leave none of."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils


class ReferenceQueries:
    db: sqlite_utils.Database

    def live_naming_dead(self, table: str, column: str, parent: str) -> list[tuple[str, str]]:
        """(id, named id) of live rows of ``table`` whose ``column`` names a tombstone."""
        assert column.isidentifier() and table.isidentifier() and parent.isidentifier()
        sql = f"""SELECT c.id, c.{column} FROM {table} c JOIN {parent} p ON p.id = c.{column}
                  WHERE c.deleted_at IS NULL AND p.deleted_at IS NOT NULL"""
        return [(row[0], row[1]) for row in self.db.conn.execute(sql)]

    def deleted_with(
        self, table: str, column: str, parent_id: str, deleted_at: str
    ) -> list[dict[str, Any]]:
        """Tombstones of ``table`` naming ``parent_id`` that were deleted at ``deleted_at``:
        the ones a deletion of the parent took along (one edit, one time)."""
        assert column.isidentifier() and table.isidentifier()
        cursor = self.db.conn.execute(
            f"SELECT * FROM {table} WHERE {column} = ? AND deleted_at = ?", [parent_id, deleted_at]
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor]

    def lost_versions(self, table: str, record_id: str) -> list[str]:
        """The versions of a record the conflict log holds as lost (canonical JSON)."""
        sql = "SELECT lost FROM conflicts WHERE record_table = ? AND record_id = ?"
        return [row[0] for row in self.db.conn.execute(sql, [table, record_id])]
