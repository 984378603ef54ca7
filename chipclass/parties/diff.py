"""What changed between two versions of a list: entries added, removed, changed (by id,
with the fields that differ)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Final

from chipclass.parties.model import Entry, Snapshot

#: the fields compared (every field of an entry but its id)
COMPARED: Final = tuple(f.name for f in fields(Entry) if f.name != "id")


@dataclass(frozen=True)
class Change:
    old: Entry
    new: Entry
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ListDiff:
    old: Snapshot
    new: Snapshot
    added: tuple[Entry, ...]
    removed: tuple[Entry, ...]
    changed: tuple[Change, ...]

    @property
    def differs(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def diff_lists(old: Snapshot, new: Snapshot) -> ListDiff:
    added = tuple(e for e in new.entries if e.id not in old.by_id)
    removed = tuple(e for e in old.entries if e.id not in new.by_id)
    changed = []
    for entry in new.entries:
        before = old.by_id.get(entry.id)
        if before is None:
            continue
        differing = tuple(f for f in COMPARED if getattr(before, f) != getattr(entry, f))
        if differing:
            changed.append(Change(before, entry, differing))
    return ListDiff(old, new, added, removed, tuple(changed))
