"""The name index and the scorer.

The score of a query against a name is rapidfuzz's normalised Indel similarity, 0-100,
taken as an exact fraction (`100 * (1 - distance / total length)`), of the best of three
comparisons: the words in their order, the words sorted (word order ignored), and the
words run together ("Zhong Ke" against "Zhongke"). A query that contains every word of
a name with a distinctive word scores 100 against it ("Sugon Information Industry
Beijing Branch" against "Sugon Information Industry"). An entry scores its best name.

Generic words alone do not make a match. A word filed under more than `COMMON_SHARE`
of all names (and more than `COMMON_FLOOR`) is generic ("technology", "beijing"); every
other word is distinctive. A name reaching the threshold is a potential match only when
each of its distinctive words has a counterpart in the query: the same word, a word one
edit away (a letter changed, added or dropped, or two neighbours swapped: rapidfuzz
OSA), or two or three neighbouring query words run together. "Qoaqae Microelectronics
International" thus does not match "Xabo Microelectronics International", however
long the words they share.

The index follows from that rule. Every name, alias and related name is normalised once
(normalize.py) and filed under each of its words and under all its words run together.
A query meets (1) the names filed under a distinctive word that is one of its words, a
word one edit from one of them (found through an index of every word with one letter
deleted: two words one edit apart share a one-deletion form), or neighbouring query
words run together; (2) the names made of generic words only that share all but one of
its words (one, for a query of one or two words); (3) the names filed under its words
run together. Every name with a distinctive word that can pass the rule is among
them; a name of generic words only is met when it shares all but one of the query's
words (one, for a query of one or two words). rapidfuzz's C++ loop
(`process.extract` with the threshold as cutoff) then screens the candidates, and the
few that pass are scored exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel

from chipclass.parties.model import Entry, Related, Snapshot
from chipclass.parties.normalize import Normalizer, NormalName

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
    contained: bool = False  # 100 because the query contains every word of the name


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
        normalize = Normalizer()
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
        #: every indexed word, and each with one letter deleted -> the indexed words;
        #: built the first time a query has a word the index lacks
        self._near: dict[str, list[str]] | None = None
        limit = max(COMMON_FLOOR, int(len(self.names) * COMMON_SHARE))
        self.common = frozenset(w for w, hits in self.postings.items() if len(hits) > limit)
        generic = frozenset(
            at
            for at, named in enumerate(self.names)
            if all(w in self.common for w in named.key.words)
        )
        #: a generic word -> the names made of generic words only that it is filed under
        self.generic = {w: self.postings[w] & generic for w in self.common}
        #: the words of each name that has a distinctive word (None: generic words only)
        self.word_sets = [
            None if at in generic else frozenset(named.key.words)
            for at, named in enumerate(self.names)
        ]
        self.keys = (
            [n.key.plain for n in self.names],
            [n.key.sorted for n in self.names],
            [n.key.compact for n in self.names],
        )

    def candidates(self, query: NormalName) -> set[int]:
        """The names that may pass: those filed under a distinctive word of the query or
        a word one edit from a query word; names of generic words only that share all but
        one of the query's words (one, for a query of one or two words); and those filed
        under the query's words run together."""
        found = set(self.postings.get(query.compact, ()))
        slots: list[set[int]] = []
        for joined in _joins(query):
            if joined in self.postings and joined not in self.common:
                found.update(self.postings[joined])
        for word in dict.fromkeys(query.words):
            near = self._neighbours(word) if len(word) >= FUZZY_MIN_LENGTH - 1 else set()
            if word in self.postings:
                near.add(word)
            slot: set[int] = set()
            for known in near:
                if known in self.common:
                    slot.update(self.generic[known])
                else:
                    found.update(self.postings[known])
            slots.append(slot)
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

    def _neighbours(self, word: str) -> set[str]:
        """The indexed words one edit away from `word` (see the module's docstring)."""
        if self._near is None:
            self._near = {}
            for known in sorted({w for named in self.names for w in named.key.words}):
                if len(known) >= FUZZY_MIN_LENGTH - 1:
                    for form in {known, *_deletions(known)}:
                        self._near.setdefault(form, []).append(known)
        found: set[str] = set()
        for form in {word, *_deletions(word)}:
            found.update(self._near.get(form, ()))
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
        words = frozenset(query.words)
        contained = set()
        for at in candidates:
            own = self.word_sets[at]
            if own is not None and own <= words:
                contained.add(at)
        found: list[Scored] = []
        for at in passed | contained:
            named = self.names[at]
            if at in contained:
                found.append(Scored(named, Fraction(100), contained=True))
                continue
            value = score(query, named.key, threshold)
            if value is not None and value >= threshold and self.counterparts(query, named.key):
                found.append(Scored(named, value))
        # best first; at equal scores a whole-name comparison before a containment, then
        # the name with more words
        found.sort(
            key=lambda s: (
                -s.score,
                s.contained,
                -len(s.named.key.words),
                s.named.entry.id,
                s.named.text,
            )
        )
        return found

    def counterparts(self, query: NormalName, name: NormalName) -> bool:
        """Whether each distinctive word of `name` has a counterpart in `query`."""
        words = set(query.words)
        joins = _joins(query)
        for word in name.words:
            if word in words or word in self.common or word in joins:
                continue
            if len(word) < FUZZY_MIN_LENGTH:
                return False
            near = process.extractOne(word, query.words, scorer=OSA.distance, score_cutoff=1)
            if near is None:
                return False
        return True


def _joins(query: NormalName) -> set[str]:
    """Two or three neighbouring words of the query run together ("zhong ke" -> "zhongke")."""
    words = query.words
    return {
        "".join(words[start:end])
        for start in range(len(words))
        for end in range(start + 2, min(len(words), start + 3) + 1)
    }


def _deletions(word: str) -> list[str]:
    return [word[:at] + word[at + 1 :] for at in range(len(word))]


def _names_of(entry: Entry) -> list[tuple[str, str, Related | None]]:
    names: list[tuple[str, str, Related | None]] = [("name", entry.name, None)]
    names.extend(("alias", alias, None) for alias in entry.aliases)
    names.extend(("related", r.name, r) for r in entry.related)
    return names
