"""Properties of the determination: adding a listed owner or raising a count never lowers
the label; removing a red-flag fact never raises it (for indeterminate, its most severe
possible label counts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from transactions_helpers import FP64_SHEET, SPECS, decide, small_list, transaction_text

from chipclass.parties.model import Snapshot
from chipclass.transaction.reasons import ceiling

LISTED = ("Zephyrion Quantum Works", "Borealith Metallurgy", "Calderix Optoelectronics")
UNLISTED = ("Alderbank AG", "Brightmoor AG", "Cresthaven AG")
DAYS = (dt.date(2025, 10, 1), dt.date(2026, 6, 1), dt.date(2026, 12, 1))
H100 = str(SPECS / "nvidia" / "h100-sxm.toml")
# derandomized (the same examples on every run: CI never flakes), no example database
SETTINGS = settings(
    max_examples=examples(60),
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

owner = st.tuples(st.sampled_from(LISTED + UNLISTED), st.one_of(st.none(), st.integers(0, 60)))


def _owners(pairs: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    """Distinct owners whose known shares add up to at most 100."""
    found: list[tuple[str, int | None]] = []
    total = 0
    for name, share in pairs:
        if any(n == name for n, _ in found) or total + (share or 0) > 100:
            continue
        total += share or 0
        found.append((name, share))
    return found


def _text(direct: list[tuple[str, int | None]], holding: list[tuple[str, int | None]]) -> str:
    def listing(pairs: list[tuple[str, int | None]]) -> str:
        return ", ".join(
            f'{{ name = "{n}" }}' if s is None else f'{{ name = "{n}", share_pct = {s} }}'
            for n, s in pairs
        )

    names = {n for n, _ in direct + holding}
    party = (
        '[[party]]\nrole = "end-user"\nname = "Plainfield Analytics GmbH"\ncountry = "DE"\n'
        f'headquarters = "DE"\nowners = [{listing(direct)}]\n'
    )
    entities = (
        '[[entity]]\nname = "Harbourline Holding GmbH"\ncountry = "DE"\n'
        f"owners = [{listing(holding)}]\n"
    )
    for name in sorted(names - {"Harbourline Holding GmbH"}):
        country = "CN" if name in LISTED else "DE"
        entities += f'[[entity]]\nname = "{name}"\ncountry = "{country}"\n'
    return transaction_text(sheet=H100, parties=party, entities=entities)


@SETTINGS
@given(
    direct=st.lists(owner, max_size=3),
    holding=st.lists(owner, max_size=3),
    holding_share=st.integers(0, 100),
    new=st.sampled_from(LISTED),
    new_share=st.one_of(st.none(), st.integers(0, 100)),
    into_holding=st.booleans(),
    day=st.sampled_from(DAYS),
)
def test_adding_a_listed_owner_never_lowers_the_label(
    tmp_path: Path,
    direct: list[tuple[str, int | None]],
    holding: list[tuple[str, int | None]],
    holding_share: int,
    new: str,
    new_share: int | None,
    into_holding: bool,
    day: dt.date,
) -> None:
    lists = _lists(tmp_path)
    top = _owners([("Harbourline Holding GmbH", min(holding_share, 100)), *direct])
    below = _owners(holding)
    before = decide(_text(top, below), tmp_path, lists, as_of=day)
    target = below if into_holding else top
    if any(n == new for n, _ in target):
        return
    room = 100 - sum(s or 0 for _, s in target)
    share = None if new_share is None else min(new_share, room)
    target.append((new, share))
    after = decide(_text(top, below), tmp_path, lists, as_of=day)
    assert ceiling(after.label, after.possible) >= ceiling(before.label, before.possible)


@SETTINGS
@given(
    count=st.integers(1, 4000),
    more=st.integers(0, 2000),
    volume=st.sampled_from([None, 4000, 50000]),
)
def test_raising_a_count_never_lowers_the_label(
    tmp_path: Path, count: int, more: int, volume: int | None
) -> None:
    sheet = tmp_path / "fp64.toml"
    sheet.write_text(FP64_SHEET, encoding="utf-8")
    party = '[[party]]\nrole = "end-user"\nname = "Plainfield Analytics"\ncountry = "CN"\n'
    use = f"[end_use]\nvolume_ft3 = {volume}\n" if volume else ""

    def at(n: int) -> tuple[str, tuple[str, ...]]:
        text = transaction_text(
            sheet=str(sheet),
            count=n,
            destination="CN",
            date="2024-06-15",
            parties=party,
            end_use=use,
        )
        found = decide(text, tmp_path)
        return found.label, found.possible

    assert ceiling(*at(count + more)) >= ceiling(*at(count))


@SETTINGS
@given(
    kind=st.sampled_from(["iaas", "datacenter", "research"]),
    users=st.lists(st.sampled_from(["CN", "RU", "SG", "DE"]), max_size=3, unique=True),
    hq=st.sampled_from(["DE", "CN"]),
    day=st.sampled_from(DAYS),
)
def test_removing_a_red_flag_fact_never_raises_the_label(
    tmp_path: Path, kind: str, users: list[str], hq: str, day: dt.date
) -> None:
    party = (
        '[[party]]\nrole = "end-user"\nname = "Plainfield Analytics GmbH"\ncountry = "DE"\n'
        f'headquarters = "{hq}"\n'
    )
    listed = ", ".join(f'"{u}"' for u in users)
    with_flags = f'[end_use]\nkind = "{kind}"\nremote_users = [{listed}]\n'
    without = '[end_use]\nkind = "datacenter"\n'
    before = decide(
        transaction_text(sheet=H100, parties=party, end_use=with_flags), tmp_path, as_of=day
    )
    after = decide(
        transaction_text(sheet=H100, parties=party, end_use=without), tmp_path, as_of=day
    )
    assert ceiling(after.label, after.possible) <= ceiling(before.label, before.possible)
    assert len(after.red_flags) <= len(before.red_flags)


def _lists(folder: Path) -> list[Snapshot]:
    return [small_list(folder)]
