"""Names into a comparable form, once: the key every alias is indexed and scored by.

Steps, in order:

1. Unicode: compatibility forms folded (NFKC: full-width letters, ligatures), accents
   dropped, case folded ("Société" and "SOCIETE" read alike).
2. Punctuation: full stops and apostrophes vanish inside a word ("S.A." -> "sa",
   "Co." -> "co"); "&" reads "and"; every other character that is not a letter or a
   digit separates words.
3. Legal forms: the words of `LEGAL_FORMS` ("Co., Ltd.", "Company Limited", "Inc.",
   "GmbH", "Youxian Gongsi", ...) are dropped wherever they stand, longest first, until
   none is left; Chinese ones (有限公司) are cut from the end of a word, and a word one
   edit away from a long one ("Limted", "Corporatoin") is dropped too. A name that is
   nothing but legal forms keeps its words.

Word order is left to the scorer (see `match.py`), which compares the words sorted as
well as in their order.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

#: legal forms, as word sequences after steps 1-2 (so "S.A." is "sa", "L.L.C." is "llc")
LEGAL_FORMS: Final[tuple[tuple[str, ...], ...]] = tuple(
    tuple(form.split())
    for form in (
        # English and Commonwealth
        "company limited",
        "company ltd",
        "co limited",
        "co ltd",
        "corp ltd",
        "company inc",
        "co inc",
        "public company limited",
        "public limited company",
        "private limited",
        "pvt ltd",
        "pty ltd",
        "pty limited",
        "pte ltd",
        "pte limited",
        "limited liability company",
        "limited",
        "ltd",
        "incorporated",
        "inc",
        "corporation",
        "corp",
        "company",
        "co",
        "llc",
        "llp",
        "lp",
        "plc",
        "pty",
        "pte",
        # German, Dutch, Nordic
        "gmbh and co kg",
        "gmbh co kg",
        "co kg",
        "gmbh",
        "ag",
        "kg",
        "bv",
        "nv",
        "oy",
        "ab",
        # Romance languages
        "sa de cv",
        "s de rl",
        "sas",
        "sarl",
        "sa",
        "srl",
        "spa",
        "ltda",
        # Russian and Eastern Europe
        "ojsc",
        "pjsc",
        "cjsc",
        "jsc",
        "ooo",
        "oao",
        "zao",
        "sp z oo",
        # Asia (romanised)
        "kabushiki kaisha",
        "kk",
        "sdn bhd",
        "bhd",
        "tbk",
        "gufen youxian gongsi",
        "youxian zeren gongsi",
        "youxian gongsi",
        "youxian",
        "gongsi",
    )
)
#: Chinese legal forms, cut from the end of a word (written without spaces)
CJK_LEGAL_FORMS: Final = ("股份有限公司", "有限责任公司", "有限責任公司", "有限公司")

_FORMS: Final = frozenset(LEGAL_FORMS)
_FIRST_WORDS: Final = frozenset(form[0] for form in LEGAL_FORMS)
#: one-word legal forms this long or longer are also dropped when misspelt by one edit
_FUZZY_FORM_LENGTH: Final = 6
_FUZZY_FORMS: Final = tuple(
    form[0] for form in LEGAL_FORMS if len(form) == 1 and len(form[0]) >= _FUZZY_FORM_LENGTH
)
_LONGEST: Final = max(len(form) for form in LEGAL_FORMS)
_JOINERS: Final = re.compile(r"[.'\u2019\u02bc`]")
_SEPARATORS: Final = re.compile(r"[\W_]+")


class NormalName(NamedTuple):
    """A name's words after normalisation, and the keys the scorer compares."""

    words: tuple[str, ...]

    @property
    def plain(self) -> str:
        return " ".join(self.words)

    @property
    def sorted(self) -> str:
        return " ".join(sorted(self.words))

    @property
    def compact(self) -> str:
        return "".join(self.words)


def fold(text: str) -> str:
    """Steps 1-2: Unicode folded, punctuation to single spaces."""
    if text.isascii():
        folded = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
        bare = "".join(c for c in decomposed if not unicodedata.combining(c))
        folded = unicodedata.normalize("NFKC", bare).casefold()
    folded = _JOINERS.sub("", folded.replace("&", " and "))
    return _SEPARATORS.sub(" ", folded).strip()


class Normalizer:
    """Normalises names, remembering what it decided for each word it has seen (a list
    repeats its words: "technology", "co", "ltd"). Use one for a batch of names."""

    def __init__(self) -> None:
        self._kept: dict[str, str] = {}  # word -> the word kept ("" when dropped)

    def __call__(self, text: str) -> NormalName:
        return NormalName(self.words(text))

    def words(self, text: str) -> tuple[str, ...]:
        """The words of a name, legal forms dropped (see the module's docstring)."""
        found = tuple(fold(text).split())
        current = found
        while True:
            stripped = self._strip_once(current)
            if stripped == current:
                break
            current = stripped
        return current if current else found

    def _strip_once(self, found: tuple[str, ...]) -> tuple[str, ...]:
        kept: list[str] = []
        index = 0
        while index < len(found):
            if found[index] in _FIRST_WORDS:
                size = _form_at(found, index)
                if size:
                    index += size
                    continue
            word = self._word(found[index])
            if word:
                kept.append(word)
            index += 1
        return tuple(kept)

    def _word(self, word: str) -> str:
        kept = self._kept.get(word)
        if kept is None:
            kept = "" if _misspelt_form(word) else word
            if not word.isascii():
                kept = _strip_cjk(word)
            self._kept[word] = kept
        return kept


def words(text: str) -> tuple[str, ...]:
    """The words of a name, legal forms dropped (see the module's docstring)."""
    return Normalizer().words(text)


def normalize(text: str) -> NormalName:
    return NormalName(words(text))


def _form_at(found: tuple[str, ...], index: int) -> int:
    """The length of the longest legal form starting at `index` (0: none)."""
    for size in range(min(_LONGEST, len(found) - index), 0, -1):
        if found[index : index + size] in _FORMS:
            return size
    return 0


def _misspelt_form(word: str) -> bool:
    """ "Limted", "Corporatoin": one edit (rapidfuzz OSA: a swap of neighbours counts as
    one) from a long legal form."""
    if len(word) < _FUZZY_FORM_LENGTH - 1 or not word.isascii():
        return False
    found = process.extractOne(word, _FUZZY_FORMS, scorer=OSA.distance, score_cutoff=1)
    return found is not None


def _strip_cjk(word: str) -> str:
    for form in CJK_LEGAL_FORMS:
        if word.endswith(form) and len(word) > len(form):
            return word[: -len(form)]
    return word
