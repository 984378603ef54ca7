"""The name index and the scorer.

Every name, alias and related name of every entry is normalised once (normalize.py)
and filed under each of its words, and under all its words run together. A query meets
only the names that share all but one of its words (a query of one or two words: one
of them), where a word the index lacks (a typo) is stood in for by its near
neighbours: the indexed words one edit away (a letter changed, added, dropped, or two
neighbours swapped), found through an index of every word with one letter deleted
(each edit leaves the two words a shared one-deletion form), and the names filed
under its words run together. A listed name written with a typo, another legal form,
other punctuation or its words in another order shares all its words but the misspelt
one, and so always meets the query. Those candidates are first screened in rapidfuzz's C++
loop (`process.extract` with the threshold as cutoff), and the few that pass are scored
exactly.

The score of a query against a name is rapidfuzz's normalised Indel similarity, 0-100,
taken as an exact fraction (`100 * (1 - distance / total length)`), of the best of three
comparisons: the words in their order, the words sorted (word order ignored), and the
words run together ("Zhong Ke" against "Zhongke"). An entry scores its best name.

Generic words alone do not make a match: a name reaching the threshold is a potential
match only when each of its distinctive words (those filed under at most
`COMMON_SHARE` of all names, or `COMMON_FLOOR`) has a counterpart in the query: the same
word, a word one edit away, or the same letters inside the query's words run together.
"Qoaqae Microelectronics International" thus does not match "Xabo Microelectronics
International", however long the words they share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel

from chipclass.parties.model import Entry, Related, Snapshot
from chipclass.parties.normalize import NormalName, normalize

#: query words shorter than this are looked up exactly only (no near neighbours)
FUZZY_MIN_LENGTH: Final = 4
#: a word filed under more than this share of all names (and more than COMMON_FLOOR) is
#: generic ("technology", "beijing"); every other word of a name is distinctive
COMMON_SHARE: Final = Fraction(1, 200)
COMMON_FLOOR: Final = 20
#: the float pre-screen keeps names this far below the threshold (float rounding)
_FLOAT_SLACK: Final = 0.01


class Named(NamedTuple):
    """One indexed name: which entry it belongs to, and how."""

    snapshot: int
    entry: Entry
    text: str
    kind: str  # "name", "alias" or "related"
    key: NormalName
    related: Related | None = None


@dataclass(frozen=True)
class Scored:
    named: Named
    score: Fraction


def similarity(a: str, b: str, cutoff: Fraction = Fraction(0)) -> Fraction | None:
    """100 * (1 - Indel distance / (len(a) + len(b))), exactly; None below `cutoff`."""
    total = len(a) + len(b)
    if total == 0:
        return Fraction(100)
    most = int(total * (1 - cutoff / 100))  # the largest distance that still reaches cutoff
    distance = Indel.distance(a, b, score_cutoff=most)
    if distance > most:
        return None
    return Fraction(100 * (total - distance), total)


def score(query: NormalName, name: NormalName, cutoff: Fraction = Fraction(0)) -> Fraction | None:
    """The best of the plain, sorted and run-together comparisons (None below cutoff)."""
    best: Fraction | None = None
    for a, b in (
        (query.plain, name.plain),
        (query.sorted, name.sorted),
        (query.compact, name.compact),
    ):
        found = similarity(a, b, cutoff if best is None else max(cutoff, best))
        if found is not None and (best is None or found > best):
            best = found
            if best == 100:
                break
    return best


class NameIndex:
    """Every name of every entry of some snapshots, filed by word."""

    def __init__(self, snapshots: Sequence[Snapshot]) -> None:
        self.names: list[Named] = []
        building: dict[str, list[int]] = {}
        for number, snapshot in enumerate(snapshots):
            for entry in snapshot.entries:
                for kind, text, related in _names_of(entry):
                    key = normalize(text)
                    if not key.words:
                        continue
                    at = len(self.names)
                    self.names.append(Named(number, entry, text, kind, key, related))
                    for word in {*key.words, key.compact}:
                        building.setdefault(word, []).append(at)
        self.postings = {word: frozenset(hits) for word, hits in building.items()}
        #: every indexed word, and each with one letter deleted -> the indexed words
        self.near: dict[str, list[str]] = {}
        for word in sorted({w for named in self.names for w in named.key.words}):
            if len(word) >= FUZZY_MIN_LENGTH - 1:
                for form in {word, *_deletions(word)}:
                    self.near.setdefault(form, []).append(word)
        limit = max(COMMON_FLOOR, int(len(self.names) * COMMON_SHARE))
        self.common = frozenset(w for w, hits in self.postings.items() if len(hits) > limit)
        self.keys = (
            [n.key.plain for n in self.names],
            [n.key.sorted for n in self.names],
            [n.key.compact for n in self.names],
        )

    def candidates(self, query: NormalName) -> set[int]:
        """The names that share all but one of the query's words (each word: itself, or
        for a word the index lacks, its near neighbours), and those filed under the
        query's words run together. A query of one or two words needs one shared."""
        slots: list[frozenset[int]] = []
        for word in dict.fromkeys(query.words):
            hits = self.postings.get(word)
            if hits is not None:
                slots.append(hits)
                continue
            near: set[int] = set()
            for neighbour in self._words_like(word):
                near.update(self.postings[neighbour])
            slots.append(frozenset(near))
        found = set(self.postings.get(query.compact, ()))
        if len(slots) <= 2:
            for slot in slots:
                found.update(slot)
            return found
        for left_out in range(len(slots)):
            others = sorted((s for i, s in enumerate(slots) if i != left_out), key=len)
            shared = set(others[0])
            for slot in others[1:]:
                shared.intersection_update(slot)
                if not shared:
                    break
            found.update(shared)
        return found

    def _words_like(self, word: str) -> set[str]:
        """The indexed words one edit away from `word` (see the module's docstring)."""
        if len(word) < FUZZY_MIN_LENGTH:
            return set()
        found: set[str] = set()
        for form in {word, *_deletions(word)}:
            found.update(self.near.get(form, ()))
        return found

    def search(self, query: NormalName, threshold: Fraction) -> list[Scored]:
        """Every indexed name scoring at least `threshold`, best first."""
        candidates = sorted(self.candidates(query))
        cutoff = max(0.0, float(threshold) - _FLOAT_SLACK)
        passed: set[int] = set()
        for text, keys in zip((query.plain, query.sorted, query.compact), self.keys, strict=True):
            choices = [keys[at] for at in candidates]
            for _, _, position in process.extract(
                text, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                passed.add(candidates[position])
        found: list[Scored] = []
        for at in passed:
            named = self.names[at]
            value = score(query, named.key, threshold)
            if value is not None and value >= threshold and self.counterparts(query, named.key):
                found.append(Scored(named, value))
        found.sort(key=lambda s: (-s.score, s.named.entry.id, s.named.text))
        return found

    def counterparts(self, query: NormalName, name: NormalName) -> bool:
        """Whether each distinctive word of `name` has a counterpart in `query`."""
        words = set(query.words)
        compact = query.compact
        for word in name.words:
            if word in words or word in self.common or word in compact:
                continue
            if len(word) < FUZZY_MIN_LENGTH:
                return False
            near = process.extractOne(word, query.words, scorer=OSA.distance, score_cutoff=1)
            if near is None:
                return False
        return True


def _deletions(word: str) -> list[str]:
    return [word[:at] + word[at + 1 :] for at in range(len(word))]


def _names_of(entry: Entry) -> list[tuple[str, str, Related | None]]:
    names: list[tuple[str, str, Related | None]] = [("name", entry.name, None)]
    names.extend(("alias", alias, None) for alias in entry.aliases)
    names.extend(("related", r.name, r) for r in entry.related)
    return names
