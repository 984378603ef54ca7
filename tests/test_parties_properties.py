"""Properties of the normaliser and the scorer that hold for every name."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from chipclass.parties.match import score, similarity
from chipclass.parties.model import Entry, Snapshot
from chipclass.parties.normalize import LEGAL_FORMS, fold, normalize, words
from chipclass.parties.screen import Query, Screener

NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60
) | st.builds(
    lambda a, b, form: f"{a} {b} {' '.join(form)}",
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ .,&-", min_size=0, max_size=12),
    st.sampled_from(LEGAL_FORMS),
)


@given(NAMES)
def test_normalisation_is_idempotent(name: str) -> None:
    once = normalize(name)
    assert normalize(once.plain) == once
    assert fold(fold(name)) == fold(name)


@given(NAMES)
def test_a_name_scores_100_against_itself(name: str) -> None:
    key = normalize(name)
    assert score(key, key) == 100


@given(st.text(max_size=30), st.text(max_size=30))
def test_similarity_is_symmetric_and_within_0_100(a: str, b: str) -> None:
    value = similarity(a, b)
    assert value is not None
    assert 0 <= value <= 100
    assert value == similarity(b, a)


@settings(max_examples=50, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=5, unique=True), st.data())
def test_every_listed_name_matches_itself(names: list[str], data: st.DataObject) -> None:
    entries = tuple(
        Entry(id=f"e{i}", name=name, list="Test", added=dt.date(2000, 1, 1))
        for i, name in enumerate(names)
    )
    snapshot = Snapshot("Test", "<test>", "0" * 64, "snapshot", entries)
    chosen = data.draw(st.sampled_from(names))
    if not words(chosen):
        return  # nothing to compare: such a name is refused as a query
    result = Screener([snapshot]).screen_one(Query(chosen), Fraction(100), dt.date(2026, 1, 1))
    assert any(m.entry.name == chosen and m.score == 100 for m in result.matches)


def test_word_order_and_legal_forms_do_not_change_the_key() -> None:
    assert normalize("Inspur Group Co., Ltd.").sorted == normalize("GROUP INSPUR LIMITED").sorted
    assert normalize("浪潮集团有限公司").words == ("浪潮集团",)


def test_the_core_imports_neither_click_nor_rich() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import chipclass.parties, chipclass.parties.screen, chipclass.parties.fetch\n"
        "import chipclass.parties.diff, chipclass.parties.store\n"
        "chipclass.parties.Screener([chipclass.parties.load_list(None)])\n"
        "print(sorted(m for m in ('click', 'rich') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
