"""SQLite FTS5 indexes kept beside a table: the admin's comment search (comments/search.py)
and the site's article search (articles/search.py).

Each is an external-content table: it stores the index, not a second copy of the rows, and
triggers on the indexed table keep it current (an external-content table forgets a row
when it is told the values it indexed). Django's SQLite schema editor rebuilds a table (new
table, copy, drop, rename) for many ``AlterField``s, and the drop takes the triggers with it:
``ensure()`` runs after every ``migrate`` (each app's ``ready()``), puts back any trigger
that is missing and then rebuilds the index from the table, so nothing written meanwhile is
missed. Everything here does nothing on PostgreSQL.
"""

import re
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper

IDENTIFIER = re.compile(r"[a-z_]+")


@dataclass(frozen=True)
class Fts5Index:
    table: str  # the FTS5 table
    content: str  # the table it indexes, by its ``id``
    columns: tuple[str, ...]
    tokenize: str

    def __post_init__(self) -> None:
        # The names go into SQL as they are: the code's own constants, never anyone's input.
        names = [self.table, self.content, *self.columns]
        if not all(IDENTIFIER.fullmatch(name) for name in names) or "'" in self.tokenize:
            raise ValueError(f"Not plain SQL names: {names}, {self.tokenize!r}")

    @property
    def triggers(self) -> dict[str, str]:
        """Each trigger's name and body."""
        columns = ", ".join(self.columns)
        old = ", ".join(f"old.{column}" for column in self.columns)
        new = ", ".join(f"new.{column}" for column in self.columns)
        # Plain names only (__post_init__).
        insert = f"INSERT INTO {self.table} (rowid, {columns}) VALUES (new.id, {new});"  # noqa: S608
        forget = (
            f"INSERT INTO {self.table} ({self.table}, rowid, {columns}) "  # noqa: S608
            f"VALUES ('delete', old.id, {old});"
        )
        return {
            f"{self.table}_insert": f"AFTER INSERT ON {self.content} BEGIN {insert} END",
            f"{self.table}_delete": f"AFTER DELETE ON {self.content} BEGIN {forget} END",
            f"{self.table}_update": (
                f"AFTER UPDATE OF {columns} ON {self.content} BEGIN {forget} {insert} END"
            ),
        }

    def create(self, connection: BaseDatabaseWrapper) -> None:
        """Make the index and its triggers, and fill it from the table (SQLite only)."""
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5("
                f"{', '.join(self.columns)}, content='{self.content}', content_rowid='id', "
                f"tokenize='{self.tokenize}')"
            )
        self.ensure(connection, rebuild=True)

    def drop(self, connection: BaseDatabaseWrapper) -> None:
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            for name in self.triggers:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    def ensure(self, connection: BaseDatabaseWrapper, *, rebuild: bool = False) -> bool:
        """If the index exists, put back its missing triggers and then rebuild it.

        True if something was put back. Does nothing on PostgreSQL, nor before the migration
        that makes the index.
        """
        if connection.vendor != "sqlite":
            return False
        triggers = self.triggers
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE name = %s OR tbl_name = %s",
                [self.table, self.content],
            )
            existing = {name for (name,) in cursor.fetchall()}
            if self.table not in existing:
                return False
            missing = [name for name in triggers if name not in existing]
            for name in missing:
                cursor.execute(f'CREATE TRIGGER IF NOT EXISTS "{name}" {triggers[name]}')
            if missing or rebuild:
                rebuild_all = f"INSERT INTO {self.table} ({self.table}) VALUES ('rebuild')"  # noqa: S608
                cursor.execute(rebuild_all)
        return bool(missing)
