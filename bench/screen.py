"""Screening benchmark: recall, false hits and speed of `chipclass screen`'s index
against a brute-force rapidfuzz `process.cdist` over every name.

A seeded synthetic list of CSL-shaped rows (default 20,000, with aliases) and queries
(default 2,000): half are variants of listed names (a legal form changed, dropped or
added; case; punctuation; words reordered; one typo), half are unrelated company names
made of the same common words but other brand words. Both sides use the same
normalisation and the same score (the best of the plain, sorted and run-together
comparisons), so the brute-force run is also the oracle for the index: every name it
finds at the threshold, the index must find too.

    python bench/screen.py                   # the figures; exit 1 when a goal is missed
    python bench/screen.py --rows 2000 --queries 200      # a smoke run
    python bench/screen.py --sweep           # recall and false hits at thresholds 80-95

Goals: recall of the variants >= 99 %, false hits on unrelated names <= 1 %, and the
index (build included) no slower than brute force. Needs numpy (rapidfuzz's cdist
returns a numpy array): `pip install numpy`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import string
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chipclass.parties.match import NameIndex
from chipclass.parties.model import Entry, Snapshot
from chipclass.parties.normalize import Normalizer, normalize
from chipclass.parties.screen import DEFAULT_THRESHOLD

COMMON = [
    "Technology",
    "Information",
    "Industry",
    "Electronics",
    "Trading",
    "International",
    "Group",
    "Holdings",
    "Semiconductor",
    "Systems",
    "Research",
    "Institute",
    "Engineering",
    "Computing",
    "Science",
    "Development",
    "Import",
    "Export",
    "Logistics",
    "Machinery",
    "Communication",
    "Network",
    "Software",
    "Digital",
    "Power",
    "Materials",
    "Precision",
    "Equipment",
    "Optical",
    "Aerospace",
    "Instruments",
    "Microelectronics",
    "Industrial",
    "Supply",
    "Solutions",
    "Integrated",
    "Circuit",
    "Design",
    "Manufacturing",
    "Commercial",
]
PLACES = [
    "Beijing",
    "Shanghai",
    "Shenzhen",
    "Tianjin",
    "Wuhan",
    "Hefei",
    "Chengdu",
    "Xian",
    "Nanjing",
    "Hangzhou",
    "Moscow",
    "Dubai",
    "Singapore",
    "Istanbul",
    "Tehran",
    "Minsk",
    "Almaty",
    "Karachi",
    "Hong-Kong",
    "Guangzhou",
    "Suzhou",
    "Wuxi",
]
FORMS = (
    "Co., Ltd.",
    "Company Limited",
    "Ltd.",
    "Limited",
    "Inc.",
    "Corporation",
    "Corp.",
    "LLC",
    "GmbH",
    "S.A.",
    "B.V.",
    "Pty Ltd",
    "JSC",
    "Youxian Gongsi",
    "",
)
SOURCES = (
    ("Specially Designated Nationals (SDN) - Treasury Department", 55),
    ("Entity List (EL) - Bureau of Industry and Security", 25),
    ("ITAR Debarred (DTC) - State Department", 8),
    ("Denied Persons List (DPL) - Bureau of Industry and Security", 6),
    ("Military End User (MEU) List - Bureau of Industry and Security", 6),
)
LISTED_SYLLABLES = [c + v for c in "bdghjklmnprstvxz" for v in "aeiou"] + [
    c + v + "n" for c in "bdgkmsxz" for v in "aiou"
]
OTHER_SYLLABLES = [c + v for c in "cfqwy" for v in ("ae", "ei", "ou", "ia", "oa", "y")]


def brand(rng: random.Random, syllables: list[str]) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.choice((2, 3, 3, 4)))).capitalize()


def company(rng: random.Random, syllables: list[str]) -> str:
    words = [brand(rng, syllables)]
    if rng.random() < 0.3:
        words.insert(0 if rng.random() < 0.5 else 1, rng.choice(PLACES))
    words.extend(rng.sample(COMMON, rng.choice((1, 1, 2, 2, 3))))
    form = rng.choice(FORMS)
    return " ".join(words) + (f" {form}" if form else "")


def make_list(rng: random.Random, rows: int) -> Snapshot:
    names = [s for s, _ in SOURCES]
    weights = [w for _, w in SOURCES]
    entries = []
    for number in range(rows):
        aliases = tuple(company(rng, LISTED_SYLLABLES) for _ in range(rng.choice((0, 0, 1, 2, 3))))
        entries.append(
            Entry(
                id=f"row-{number}",
                name=company(rng, LISTED_SYLLABLES),
                list=rng.choices(names, weights)[0],
                aliases=aliases,
                added=dt.date(2020, 1, 1),
            )
        )
    return Snapshot("synthetic CSL", "<synthetic>", "0" * 64, "csl-csv", tuple(entries))


# --------------------------------------------------------------------------- variants


def _legal_form(rng: random.Random, name: str) -> str:
    for form in sorted(FORMS, key=len, reverse=True):
        if form and name.endswith(" " + form):
            other = rng.choice([f for f in FORMS if f != form])
            return name[: -len(form)] + other if other else name[: -len(form) - 1]
    return f"{name} {rng.choice([f for f in FORMS if f])}"


def _case(rng: random.Random, name: str) -> str:
    return rng.choice((name.upper(), name.lower(), name.title()))


def _punctuation(rng: random.Random, name: str) -> str:
    stripped = "".join(c for c in name if c not in ".,")
    if stripped != name and rng.random() < 0.5:
        return stripped
    words = name.split()
    at = rng.randrange(len(words))
    words[at] = words[at] + rng.choice((",", ".", " -", " &"))
    return " ".join(words)


def _reorder(rng: random.Random, name: str) -> str:
    """The words before the legal form shuffled ("Guangzhou Haige" for "Haige Guangzhou")."""
    form = next((f for f in FORMS if f and name.endswith(" " + f)), "")
    words = (name[: -len(form) - 1] if form else name).split()
    if len(words) < 2:
        return name
    shuffled = words[:]
    while shuffled == words:
        rng.shuffle(shuffled)
    return " ".join(shuffled) + (f" {form}" if form else "")


def _typo(rng: random.Random, name: str) -> str:
    words = name.split()
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    at = rng.choice(candidates) if candidates else rng.randrange(len(words))
    word = words[at]
    pos = rng.randrange(1, len(word)) if len(word) > 1 else 0
    kind = rng.choice(("substitute", "delete", "insert", "transpose"))
    letter = rng.choice(string.ascii_lowercase)
    if kind == "substitute":
        word = word[:pos] + letter + word[pos + 1 :]
    elif kind == "delete" and len(word) > 1:
        word = word[:pos] + word[pos + 1 :]
    elif kind == "transpose" and pos + 1 < len(word):
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    else:
        word = word[:pos] + letter + word[pos:]
    words[at] = word
    return " ".join(words)


VARIANTS = (_legal_form, _case, _punctuation, _reorder, _typo)


def make_queries(
    rng: random.Random, snapshot: Snapshot, count: int
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(query, entry id, variant kind) for the variants; names for the unrelated ones."""
    variants = []
    for number in range(count - count // 2):
        entry = rng.choice(snapshot.entries)
        name = rng.choice(entry.names)
        change = VARIANTS[number % len(VARIANTS)]
        variants.append((change(rng, name), entry.id, change.__name__.strip("_")))
    unrelated = [company(rng, OTHER_SYLLABLES) for _ in range(count // 2)]
    return variants, unrelated


# --------------------------------------------------------------------------- the runs


def run_index(
    snapshot: Snapshot, queries: list[str], threshold: Fraction
) -> tuple[list[set[str]], float, float, NameIndex]:
    started = time.process_time()
    index = NameIndex([snapshot])
    built = time.process_time()
    found = []
    for query in queries:
        key = normalize(query)
        found.append({s.named.entry.id for s in index.search(key, threshold)})
    done = time.process_time()
    return found, built - started, done - built, index


def run_brute(
    snapshot: Snapshot, queries: list[str], threshold: Fraction
) -> tuple[list[set[str]], float]:
    import numpy as np
    from rapidfuzz import fuzz, process

    started = time.process_time()
    normalize = Normalizer()  # as the index normalises: one per batch of names
    owners: list[str] = []
    keys: dict[str, list[str]] = {"plain": [], "sorted": [], "compact": []}
    for entry in snapshot.entries:
        for name in entry.names:
            key = normalize(name)
            owners.append(entry.id)
            keys["plain"].append(key.plain)
            keys["sorted"].append(key.sorted)
            keys["compact"].append(key.compact)
    query_keys = [normalize(q) for q in queries]
    cutoff = float(threshold)
    found: list[set[str]] = []
    for start in range(0, len(query_keys), 100):
        chunk = query_keys[start : start + 100]
        best = None
        for form in ("plain", "sorted", "compact"):
            scores = process.cdist(
                [getattr(k, form) for k in chunk],
                keys[form],
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                dtype=np.float32,
                workers=1,
            )
            best = scores if best is None else np.maximum(best, scores)
        assert best is not None
        # cdist scores are floats; the exact comparison is made again below
        for row in best:
            found.append({owners[i] for i in np.nonzero(row >= cutoff - 0.01)[0]})
    return found, time.process_time() - started


def exact_filter(
    snapshot: Snapshot,
    queries: list[str],
    found: list[set[str]],
    threshold: Fraction,
    gate: NameIndex | None,
) -> list[set[str]]:
    """Brute force's hits re-scored exactly (a float at the cutoff may round either way),
    and with `gate`, held to the same counterpart rule for distinctive words."""
    from chipclass.parties.match import score

    kept = []
    for query, ids in zip(queries, found, strict=True):
        key = normalize(query)
        good = set()
        for entry_id in ids:
            for name in snapshot.by_id[entry_id].names:
                other = normalize(name)
                if (score(key, other, threshold) or 0) >= threshold and (
                    gate is None or gate.counterparts(key, other)
                ):
                    good.add(entry_id)
                    break
        kept.append(good)
    return kept


def figures(
    variants: list[tuple[str, str, str]], unrelated: list[str], found: list[set[str]]
) -> tuple[Fraction, Fraction, dict[str, Fraction]]:
    hits = [
        entry_id in got
        for (_, entry_id, _), got in zip(variants, found[: len(variants)], strict=True)
    ]
    by_kind: dict[str, list[bool]] = {}
    for (_, _, kind), hit in zip(variants, hits, strict=True):
        by_kind.setdefault(kind, []).append(hit)
    false = [bool(got) for got in found[len(variants) :]]
    recall = Fraction(sum(hits), len(hits))
    false_rate = Fraction(sum(false), len(false)) if false else Fraction(0)
    return recall, false_rate, {k: Fraction(sum(v), len(v)) for k, v in by_kind.items()}


def pct(value: Fraction) -> str:
    return f"{float(value * 100):.2f} %"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--threshold", type=Fraction, default=DEFAULT_THRESHOLD)
    parser.add_argument("--show", action="store_true", help="print every miss and false hit")
    parser.add_argument("--sweep", action="store_true", help="recall/false hits at 80-95")
    args = parser.parse_args(argv)
    try:
        import numpy  # noqa: F401
    except ImportError:
        print("bench/screen.py needs numpy for the brute-force cdist: pip install numpy")
        return 2

    rng = random.Random(args.seed)
    snapshot = make_list(rng, args.rows)
    variants, unrelated = make_queries(rng, snapshot, args.queries)
    queries = [q for q, _, _ in variants] + unrelated
    names = sum(len(e.names) for e in snapshot.entries)
    print(
        f"list: {args.rows:,} rows, {names:,} names; queries: {len(variants):,} variants,"
        f" {len(unrelated):,} unrelated; seed {args.seed}"
    )

    if args.sweep:
        index = NameIndex([snapshot])
        scored = [index.search(normalize(q), Fraction(80)) for q in queries]
        print("threshold  recall    false hits")
        for threshold in range(80, 96):
            cut = Fraction(threshold)
            kept = [{s.named.entry.id for s in found if s.score >= cut} for found in scored]
            recall, false_rate, _ = figures(variants, unrelated, kept)
            print(f"{threshold:>9}  {pct(recall):>8}  {pct(false_rate):>8}")
        return 0

    threshold = args.threshold
    found, build_s, query_s, index = run_index(snapshot, queries, threshold)
    brute_raw, brute_s = run_brute(snapshot, queries, threshold)
    brute = exact_filter(snapshot, queries, brute_raw, threshold, index)
    score_only = exact_filter(snapshot, queries, brute_raw, threshold, None)
    recall, false_rate, by_kind = figures(variants, unrelated, found)
    if args.show:
        for (query, entry_id, kind), got in zip(variants, found[: len(variants)], strict=True):
            if entry_id not in got:
                print(f"  missed {kind}: {query!r} -> {snapshot.by_id[entry_id].names}")
        for query, got in zip(unrelated, found[len(variants) :], strict=True):
            if got:
                print(f"  false hit: {query!r} -> {[snapshot.by_id[i].name for i in got]}")
    brute_recall, brute_false, _ = figures(variants, unrelated, brute)
    plain_recall, plain_false, _ = figures(variants, unrelated, score_only)
    missed = sum(len(b - f) for b, f in zip(brute, found, strict=True))
    more = sum(len(f - b) for b, f in zip(brute, found, strict=True))
    total = sum(len(b) for b in brute)
    index_s = build_s + query_s
    print(f"threshold {float(threshold):g}")
    print(f"index:       recall {pct(recall)}, false hits {pct(false_rate)}")
    print(f"brute force: recall {pct(brute_recall)}, false hits {pct(brute_false)}")
    print(
        f"brute force, score alone (no distinctive-word rule): recall {pct(plain_recall)},"
        f" false hits {pct(plain_false)}"
    )
    print("recall by variant: " + ", ".join(f"{k} {pct(v)}" for k, v in by_kind.items()))
    print(
        f"index found {total - missed:,} of the {total:,} matches brute force found,"
        f" and {more:,} more (a query containing every word of a name)"
    )
    print(
        f"CPU time: index {index_s:.2f} s (build {build_s:.2f} s, {len(queries):,} queries"
        f" {query_s:.2f} s, {1000 * query_s / len(queries):.2f} ms each);"
        f" brute force (cdist, 1 worker) {brute_s:.2f} s; {brute_s / index_s:.1f}x"
    )
    goals = [
        (recall >= Fraction(99, 100), f"recall {pct(recall)} >= 99 %"),
        (false_rate <= Fraction(1, 100), f"false hits {pct(false_rate)} <= 1 %"),
        (index_s <= brute_s, f"index {index_s:.2f} s <= brute force {brute_s:.2f} s"),
    ]
    for ok, text in goals:
        print(("met:    " if ok else "MISSED: ") + text)
    return 0 if all(ok for ok, _ in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
