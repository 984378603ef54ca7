"""The name index and the scorer.

Every name, alias and related name of every entry is normalised once (normalize.py)
and filed under each of its words, and under all its words run together. A query meets
only the names that share a word with it: its own words where the index has them, and
for a word the index lacks (a typo) the indexed words within `WORD_SIMILARITY` of it
(rapidfuzz over the vocabulary). Words filed under more than `COMMON_WORD_SHARE` of all
names ("technology", "industry") lead to candidates only when the query has no rarer
word.

The score of a query against a name is rapidfuzz's normalised Indel similarity, 0-100,
taken as an exact fraction (`100 * (1 - distance / total length)`), of the best of three
comparisons: the words in their order, the words sorted (word order ignored), and the
words run together ("Zhong Ke" against "Zhongke"). An entry scores its best name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from chipclass.parties.model import Entry, Related, Snapshot
from chipclass.parties.normalize import NormalName, normalize

#: an indexed word this similar (rapidfuzz ratio) to a query word the index lacks stands in
WORD_SIMILARITY: Final = 75
#: words shorter than this are looked up exactly only
FUZZY_MIN_LENGTH: Final = 4
#: a word filed under more than this share of all names is "common"
COMMON_WORD_SHARE: Final = Fraction(1, 50)
#: ... but only once the index holds this many names
COMMON_WORD_FLOOR: Final = 200


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
        postings: dict[str, list[int]] = {}
        for number, snapshot in enumerate(snapshots):
            for entry in snapshot.entries:
                for kind, text, related in _names_of(entry):
                    key = normalize(text)
                    if not key.words:
                        continue
                    at = len(self.names)
                    self.names.append(Named(number, entry, text, kind, key, related))
                    for word in {*key.words, key.compact}:
                        postings.setdefault(word, []).append(at)
        self.postings = postings
        self.vocabulary = list(postings)
        count = len(self.names)
        self.common_limit = max(COMMON_WORD_FLOOR, int(count * COMMON_WORD_SHARE))

    def candidates(self, query: NormalName) -> set[int]:
        rare: set[int] = set()
        common: set[int] = set()
        for word in {*query.words, query.compact}:
            for found in self._words_like(word):
                hits = self.postings[found]
                (common if len(hits) > self.common_limit else rare).update(hits)
        return rare or common

    def _words_like(self, word: str) -> list[str]:
        if word in self.postings:
            return [word]
        if len(word) < FUZZY_MIN_LENGTH:
            return []
        found = process.extract(
            word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_SIMILARITY, limit=None
        )
        return [choice for choice, _, _ in found]

    def search(self, query: NormalName, threshold: Fraction) -> list[Scored]:
        """Every indexed name scoring at least `threshold`, best first."""
        found: list[Scored] = []
        for at in self.candidates(query):
            named = self.names[at]
            value = score(query, named.key, threshold)
            if value is not None and value >= threshold:
                found.append(Scored(named, value))
        found.sort(key=lambda s: (-s.score, s.named.entry.id, s.named.text))
        return found


def _names_of(entry: Entry) -> list[tuple[str, str, Related | None]]:
    names: list[tuple[str, str, Related | None]] = [("name", entry.name, None)]
    names.extend(("alias", alias, None) for alias in entry.aliases)
    names.extend(("related", r.name, r) for r in entry.related)
    return names
