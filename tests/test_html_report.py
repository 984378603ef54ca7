"""`chipclass report --format html`: the catalog as one self-contained web page."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from fractions import Fraction
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

import chipclass
from chipclass import catalog
from chipclass.classify import classify
from chipclass.editions import all_editions
from chipclass.files import load_all
from chipclass.plot import layout
from chipclass.report import html
from chipclass.spec import Source

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
DATA = re.compile(r'<script type="application/json" id="catalog-data">(.*?)</script>', re.S)
CHROMIUM = shutil.which("chromium")
EVIL_NAME = "<script>alert(1)</script>"
OSC_NAME = "\u001b]0;x\u0007"


def embedded(page: str) -> dict[str, Any]:
    found = DATA.search(page)
    assert found is not None, "no catalog-data block"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.fixture(scope="module")
def catalog_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled catalog's page, written once for the module through the CLI as
    docs/catalog.html is written (from the project's root, dated as the committed page)."""
    from click.testing import CliRunner

    from chipclass.cli import cli

    out = tmp_path_factory.mktemp("html") / "catalog.html"
    committed = (ROOT / "docs" / "catalog.html").read_text(encoding="utf-8")
    when = dt.datetime.strptime(embedded(committed)["generated"], "%Y-%m-%d %H:%M UTC")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(
            "SOURCE_DATE_EPOCH", str(int(when.replace(tzinfo=dt.timezone.utc).timestamp()))
        )
        patch.chdir(ROOT)
        result = CliRunner().invoke(
            cli, ["report", "specs/", "--format", "html", "-o", str(out)], catch_exceptions=False
        )
    assert result.exit_code == 0, result.output
    return out


def hostile_sheets(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evil.toml").write_text(
        'format = "chipclass/1"\n[chip]\nid = "evil-script"\n'
        'name = "<script>alert(1)</script>"\nvendor = "Evil & Co <b>"\n'
        "us_available = 2022-03-22\nestimated = true\n"
        "[performance]\nfp8 = 296\n"
        '[[source]]\nurl = "https://example.com/?a=<b>&c=1"\nnote = "</script><!-- x"\n',
        encoding="utf-8",
    )
    (folder / "osc.toml").write_text(
        'format = "chipclass/1"\n[chip]\nid = "evil-osc"\nname = "\\u001b]0;x\\u0007"\n'
        'vendor = "Test"\nvariant_of = "evil-script"\nus_available = false\n'
        "[performance]\nfp8 = 600\n",
        encoding="utf-8",
    )
    return folder


def hostile_page(folder: Path) -> str:
    """The two hostile sheets' page, with a javascript: source URL put into the model
    (a sheet cannot carry one: the sheet reader refuses any URL that is not http(s))."""
    loaded = load_all([hostile_sheets(folder)])
    assert loaded.problems == ()
    editions = all_editions()
    results = []
    for spec in loaded.specs:
        if spec.id == "evil-osc":
            spec = spec._replace(sources=(Source("javascript:alert(2)", "a bad link"),))
        results.append(classify(spec, editions))
    return html.render(catalog.entries(results, editions), editions)


# --------------------------------------------------------------------------- one model


def test_embedded_results_are_classify_json_key_for_key(
    catalog_page: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = embedded(catalog_page.read_text(encoding="utf-8"))
    monkeypatch.chdir(ROOT)
    out = run("classify", "specs/", "--all-editions", "--format", "json", "--jobs", "1")
    assert out.exit_code == 0
    expected = {r["file"]: r for r in json.loads(out.stdout)["results"]}
    shown = {c["result"]["file"]: c["result"] for c in page["chips"]}
    assert len(shown) == len(expected) == len(list(SPECS.rglob("*.toml")))
    assert shown.keys() == expected.keys()
    for file, result in expected.items():
        assert shown[file] == result, file
    h20 = next(c for c in page["chips"] if c["result"]["chip"]["id"] == "nvidia-h20")
    assert h20["result"]["metrics"]["tpp"] == 2368  # 296 x 8
    assert h20["page"]["shown"]["tpp"] == "2368"
    assert h20["page"]["shown"]["performance_density"] == "2.91"  # 2368 / 814


def test_page_lists_every_edition_with_citation_and_the_tool_version(catalog_page: Path) -> None:
    page = embedded(catalog_page.read_text(encoding="utf-8"))
    assert [e["id"] for e in page["editions"]] == [e.id for e in all_editions()]
    us2023 = next(e for e in page["editions"] if e["id"] == "us-2023-10")
    assert us2023["citation"] == "88 FR 73458"
    assert us2023["effective"] == "2023-11-17"
    assert us2023["link"] is True
    assert page["chipclass"] == chipclass.__version__
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", page["generated"])


def test_tailored_variant_shows_parent_and_the_markdown_margin(catalog_page: Path) -> None:
    chips = {
        c["result"]["chip"]["id"]: c for c in embedded(catalog_page.read_text("utf-8"))["chips"]
    }
    h20 = chips["nvidia-h20"]
    assert h20["result"]["chip"]["variant_of"] == "nvidia-h100-sxm"
    assert h20["page"]["parent_in_catalog"] is True
    # released 2024-02-01: us-2023-10 was in force; TPP 2368 -> 2400 is +1.35 %
    assert h20["page"]["tailoring"]["edition"] == "us-2023-10"
    assert h20["page"]["tailoring"]["text"] == (
        "us-2023-10: throughput +1.35 % → license-required (3A090.b.1)"
    )
    markdown = (SPECS / "README.md").read_text(encoding="utf-8")
    assert h20["page"]["tailoring"]["text"] in markdown
    assert chips["nvidia-h100-sxm"]["page"]["tailoring"] is None


def test_us_available_and_estimates(tmp_path: Path) -> None:
    data = embedded(hostile_page(tmp_path / "sheets"))
    chips = {c["result"]["chip"]["id"]: c["page"] for c in data["chips"]}
    assert chips["evil-script"]["us_available"] == "2022-03-22"
    assert chips["evil-osc"]["us_available"] is False
    assert chips["evil-script"]["estimated"] is True
    assert chips["evil-osc"]["estimated"] is False
    assert chips["evil-script"]["map"]["name"].endswith(" (estimate)")
    catalog_data = embedded(html.render([], ()))
    assert catalog_data["chips"] == []


def test_committed_page_is_current(catalog_page: Path) -> None:
    committed = (ROOT / "docs" / "catalog.html").read_text(encoding="utf-8")
    assert catalog_page.read_text(encoding="utf-8") == committed, (
        "docs/catalog.html is stale: run"
        " `chipclass report specs/ --format html -o docs/catalog.html`"
    )


# --------------------------------------------------------------------------- the map


def test_map_regions_and_lines_come_from_each_edition(catalog_page: Path) -> None:
    maps = embedded(catalog_page.read_text(encoding="utf-8"))["map"]["editions"]
    y2022, y2023 = maps["us-2022-10"], maps["us-2023-10"]
    assert [ln["text"] for ln in y2022["lines"]] == ["TPP 4800"]
    assert {ln["text"] for ln in y2023["lines"]} == {
        "TPP 1600",
        "TPP 2400",
        "TPP 4800",
        "density 1.6",
        "density 3.2",
        "density 5.92",
    }
    # 2022: one 3A090.a region, hatched (it also needs I/O >= 600 GB/s)
    assert {(c["group"], c["label"], c["hatch"]) for c in y2022["cells"]} == {
        ("3A090.a", "restricted", True)
    }
    assert "I/O ≥ 600 GB/s" in y2022["legend"][0]["needs"]
    assert {(c["group"], c["label"]) for c in y2023["cells"]} == {
        ("3A090.a", "restricted"),
        ("3A090.b", "license-required"),
    }
    # the density-unknown strip is shaded only where TPP alone decides (>= 4800)
    assert {c["group"] for c in y2023["strip"]} == {"3A090.a"}


def test_map_footnotes_are_plots_unwrapped(catalog_page: Path) -> None:
    """The page shows plot's footnotes as one paragraph: wrapped again at plot's width it
    gives plot's lines, and no word is split at its hyphen."""
    import textwrap

    from chipclass import plot

    data = embedded(catalog_page.read_text(encoding="utf-8"))
    for edition in all_editions():
        text = data["map"]["editions"][edition.id]["footnotes"]
        geometry = plot.plane(
            edition, (Fraction(1000), Fraction(60000)), (Fraction(1), Fraction(30))
        )
        assert textwrap.wrap(text, width=190) == plot.footnotes(geometry), edition.id
        assert "license- required" not in text
    assert "742.6(b)(10)(iii)(A)(1)" in data["map"]["editions"]["us-2026-01"]["footnotes"]


def test_map_places_chips_and_arrows(catalog_page: Path) -> None:
    data = embedded(catalog_page.read_text(encoding="utf-8"))
    places = {c["result"]["chip"]["id"]: c["page"]["map"] for c in data["chips"]}
    assert places["nvidia-l2"]["strip"] is True  # no die area: density unknown
    assert places["nvidia-h20"]["strip"] is False
    # log scale: a higher TPP is further right, a higher density further up
    assert places["nvidia-h100-sxm"]["x"] > places["nvidia-h20"]["x"]
    assert places["nvidia-h100-sxm"]["y"] < places["nvidia-h20"]["y"]
    arrows = {(a["from"], a["to"]) for a in data["map"]["arrows"]}
    assert ("nvidia-h100-sxm", "nvidia-h20") in arrows
    assert ("nvidia-rtx-4090", "nvidia-rtx-4090-d") in arrows


def _name_boxes(data: dict[str, Any]) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each chip name's box on the map, from its anchor and baseline and the page's width
    estimate (an upper bound for the usual sans-serif fonts)."""
    boxes = []
    for chip in data["chips"]:
        at = chip["page"]["map"]
        width = html.text_width(at["name"])
        left = {"start": 0.0, "middle": width / 2, "end": width}[at["anchor"]]
        x0, top = at["tx"] - left, at["ty"] - html.BASELINE
        boxes.append((chip["result"]["chip"]["id"], (x0, top, x0 + width, top + html.LABEL_HEIGHT)))
    return boxes


def _arrow_paths(data: dict[str, Any]) -> list[list[tuple[float, float, float, float]]]:
    """The arrows' quadratic curves ("M x y Q cx cy ex ey"), as short segments."""
    found = []
    for arrow in data["map"]["arrows"]:
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", arrow["path"])]
        assert len(numbers) == 6, arrow["path"]
        ends = ((numbers[0], numbers[1]), (numbers[2], numbers[3]), (numbers[4], numbers[5]))
        found.append(layout.polyline(layout.sample(ends)))
    return found


def _markers(data: dict[str, Any]) -> list[tuple[str, tuple[float, float, float, float]]]:
    half = html.MARKER
    return [
        (c["result"]["chip"]["id"], (m["x"] - half, m["y"] - half, m["x"] + half, m["y"] + half))
        for c in data["chips"]
        if (m := c["page"]["map"])
    ]


def _crowding(
    names: list[tuple[str, tuple[float, float, float, float]]],
    others: list[tuple[str, tuple[float, float, float, float]]],
    data: dict[str, Any],
    owner: Callable[[str], str | None] = lambda key: key,
) -> list[str]:
    """Every name box that overlaps another name, a marker (but its own) or an arrow."""
    arrows = _arrow_paths(data)
    problems = []
    for n, (key, box) in enumerate(names):
        for other, where in [*names[n + 1 :], *others]:
            if other != owner(key) and layout.overlaps(box, where):
                problems.append(f"{key} on {other}")
        if any(layout.segment_hits_box(s, box) for arrow in arrows for s in arrow):
            problems.append(f"{key} on an arrow")
    return problems


def test_map_names_clear_of_names_markers_arrows_and_thresholds(catalog_page: Path) -> None:
    """In the page's coordinates: no chip name (the density-unknown strip's included)
    overlaps another, a marker, an arrow, or any edition's threshold names."""
    data = embedded(catalog_page.read_text(encoding="utf-8"))
    frame = html._Frame((Fraction(1), Fraction(10)), (Fraction(1), Fraction(10)))
    thresholds = [
        ("threshold name", box)
        for edition in data["map"]["editions"].values()
        for box in html._line_name_boxes(frame, edition["lines"])
    ]
    names = _name_boxes(data)
    assert len(names) == len(data["chips"])
    strip = data["map"]["strip"]
    inside = [k for k, b in names if b[1] >= strip["y"] and b[3] <= strip["y"] + strip["h"]]
    assert len(inside) >= 20  # the strip's names are in the strip
    assert _crowding(names, [*_markers(data), *thresholds], data, lambda key: "") == []


# --------------------------------------------------------------------------- escaping


def test_hostile_text_is_data_not_markup(tmp_path: Path) -> None:
    page = hostile_page(tmp_path / "sheets")
    assert page.count("<script") == 2  # the data block and the page's own script
    assert page.count("</script") == 2
    assert "alert(1)" in page  # it is there, as data
    assert "<script>alert" not in page
    assert "<!--" not in page
    assert "\x1b" not in page and "\x07" not in page
    assert not re.search(r"href\s*=", page)  # links are made by the script, from data
    data = embedded(page)
    names = {c["result"]["chip"]["name"] for c in data["chips"]}
    assert names == {EVIL_NAME, OSC_NAME}  # the data is unchanged
    sources = {c["result"]["chip"]["id"]: c["page"]["sources"] for c in data["chips"]}
    assert sources["evil-osc"] == [
        {"url": "javascript:alert(2)", "note": "a bad link", "link": False}
    ]
    assert sources["evil-script"][0]["link"] is True


@given(st.text())
def test_script_json_round_trips_and_cannot_close_the_element(text: str) -> None:
    spelled = html.script_json({"name": text, "list": [text]})
    assert json.loads(spelled) == {"name": text, "list": [text]}
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in spelled
    assert spelled.isascii()


def test_script_json_escapes_the_closing_tag() -> None:
    assert html.script_json("</script>") == '"\\u003c/script\\u003e"'
    assert html.script_json("a\u2028b&") == '"a\\u2028b\\u0026"'


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_label_badges_have_accessible_contrast() -> None:
    assert round(contrast("#000000", "#ffffff"), 2) == 21.0  # the scale's ends
    assert set(html.BADGES) == set(html.LABEL_ORDER)
    for label, (background, text, _border) in html.BADGES.items():
        assert contrast(background, text) >= 4.5, label


# --------------------------------------------------------------------------- the CLI


def test_stdout_without_output_and_bad_sheets_still_reported(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    good = hostile_sheets(tmp_path / "sheets")
    (good / "broken.toml").write_text('format = "chipclass/1"\n[chip]\nid = "x"\n', "utf-8")
    out = run("report", str(good), "--format", "html")
    assert out.exit_code == 2
    assert out.stdout.startswith("<!DOCTYPE html>")
    data = embedded(out.stdout)
    assert {c["result"]["chip"]["id"] for c in data["chips"]} == {"evil-script", "evil-osc"}
    assert {Path(e["file"]).name for e in data["errors"]} == {"broken.toml"}
    assert "broken.toml" in out.stderr


def test_page_loads_nothing_from_the_network(catalog_page: Path) -> None:
    page = catalog_page.read_text(encoding="utf-8")
    outside = DATA.sub("", page)
    assert not re.search(r"\b(src|href)\s*=", outside)
    assert "@import" not in outside and "url(http" not in outside
    assert "default-src 'none'" in outside


# --------------------------------------------------------------------------- in a browser

browser = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not on PATH (apt-get install -y chromium); CI installs it",
)


class _Rows(HTMLParser):
    """The table's chip rows and the map's points of a dumped DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self.points: dict[str, str] = {}
        self.scripts = 0
        self.links: list[str] = []
        self.test = ""
        self._in_test = False
        self.buttons: list[str] = []
        self._in_button = False
        self.edition_counts: dict[str, list[str]] = {}
        self._edition: str | None = None
        self._in_count = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "tr" and "data-chip" in found:
            self.rows.append(found)
        if tag == "g" and "data-chip" in found:
            self.points[found["data-chip"]] = found["data-label"]
        if tag == "script":
            self.scripts += 1
        if tag == "a":
            self.links.append(found.get("href", ""))
        self._in_test = tag == "pre" and found.get("id") == "self-test"
        if tag == "tr":
            self._edition = found.get("data-edition")
            if self._edition is not None:
                self.edition_counts[self._edition] = []
        if tag == "td" and self._edition is not None and "num" in found.get("class", ""):
            self._in_count = True
            self.edition_counts[self._edition].append("")
        if tag == "button" and "chip-name" in found.get("class", ""):
            self._in_button = True
            self.buttons.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_count = False
        if tag == "button":
            self._in_button = False
        if tag == "pre":
            self._in_test = False

    def handle_data(self, data: str) -> None:
        if self._in_count and self._edition is not None:
            self.edition_counts[self._edition][-1] += data
        if self._in_test:
            self.test += data
        if self._in_button:
            self.buttons[-1] += data


def dump_dom(page: Path, fragment: str, profile: Path) -> tuple[_Rows, str]:
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.resolve().as_uri() + fragment,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    parsed = _Rows()
    parsed.feed(done.stdout)
    assert parsed.test, "the page's self-test hook did not run"
    return parsed, done.stdout


@browser
def test_browser_every_chip_row_sorted_by_tpp(catalog_page: Path, tmp_path: Path) -> None:
    dom, _ = dump_dom(catalog_page, "#test-sort=tpp", tmp_path / "profile")
    ids = [r["data-chip"] for r in dom.rows]
    expected = {
        c["result"]["chip"]["id"] for c in embedded(catalog_page.read_text("utf-8"))["chips"]
    }
    assert sorted(ids) == sorted(expected) and len(ids) == len(list(SPECS.rglob("*.toml")))
    tpps = [float(r["data-tpp"]) for r in dom.rows]
    assert tpps == sorted(tpps)
    assert ids[0] == "nvidia-l2"  # TPP 1545.6, the lowest in the catalog
    assert json.loads(dom.test)["sort"] == "tpp"
    assert set(dom.points) == expected
    # default: the latest edition; the L4 (TPP 1940, density 6.6) is 3A090.a.2 there
    assert dom.points["nvidia-l4"] != "exportable"


@browser
def test_browser_edition_selector_changes_a_label(catalog_page: Path, tmp_path: Path) -> None:
    fragment = "#test-edition=us-2022-10&test-label=exportable&test-vendor=NVIDIA"
    dom, _ = dump_dom(catalog_page, fragment, tmp_path / "profile")
    assert json.loads(dom.test)["edition"] == "us-2022-10"
    # under the 2022 rule the L4 (TPP 1940 < 4800) is exportable
    assert dom.points["nvidia-l4"] == "exportable"
    assert dom.points["nvidia-h100-sxm"] == "restricted"  # TPP 15832, I/O 1028 >= 600
    # the filters: NVIDIA parts exportable under us-2022-10, as the page's own data has them
    chips = embedded(catalog_page.read_text(encoding="utf-8"))["chips"]
    wanted = [
        c["result"]["chip"]["id"]
        for c in chips
        if c["result"]["chip"]["vendor"] == "NVIDIA"
        and c["result"]["verdicts"][0]["label"] == "exportable"
    ]
    assert [r["data-chip"] for r in dom.rows] == wanted
    assert "nvidia-l4" in wanted and "nvidia-h100-sxm" not in wanted
    # the editions table counts labels as the markdown overview does
    markdown = (SPECS / "README.md").read_text(encoding="utf-8")
    for edition, counts in dom.edition_counts.items():
        row = next(line for line in markdown.splitlines() if line.startswith(f"| {edition} |"))
        assert [cell.strip() for cell in row.strip("|").split("|")][-4:] == counts, edition
    labels = [r.verdicts[0].label for r in chipclass.classify(SPECS, editions=["us-2022-10"])]
    order = ("exportable", "license-required", "restricted", "indeterminate")
    assert dom.edition_counts["us-2022-10"] == [str(labels.count(name)) for name in order]


@browser
def test_browser_hostile_chip_is_shown_as_text(tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(hostile_page(tmp_path / "sheets"), encoding="utf-8")
    dom, text = dump_dom(page, "#test-open=evil-osc", tmp_path / "profile")
    assert dom.scripts == 2  # no script element came from the data
    assert EVIL_NAME in dom.buttons  # its name, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "\\u001b]0;x\\u0007" in dom.buttons  # control codes shown as escapes
    assert "\x1b" not in text and "\x07" not in text
    assert all(href.startswith("https://") for href in dom.links)
    assert "javascript:alert(2)" in text  # the bad URL, as text in the open detail
    assert not any("javascript" in href for href in dom.links)


@browser
def test_browser_draws_no_name_on_another_a_marker_or_an_arrow(
    catalog_page: Path, tmp_path: Path
) -> None:
    """The boxes the browser drew the names in (its own fonts, not the estimate): no name
    on another, on a threshold's name, on a marker or on an arrow, for two editions."""
    data = embedded(catalog_page.read_text(encoding="utf-8"))
    for edition in ("us-2023-10", "us-2026-01"):
        _, page = dump_dom(
            catalog_page, f"#test-edition={edition}&test-boxes=1", tmp_path / edition
        )
        found = re.search(r'<pre id="self-test"[^>]*>(.*?)</pre>', page, re.S)
        assert found is not None
        drawn = json.loads(unescape(found.group(1)))["boxes"]
        names = [
            (b["chip"], tuple(v + d for v, d in zip(b["box"], (0.5, 0.5, -0.5, -0.5), strict=True)))
            for b in drawn
            if b["chip"]
        ]
        thresholds = [("threshold " + b["text"], tuple(b["box"])) for b in drawn if not b["chip"]]
        assert len(names) == len(data["chips"]) and thresholds
        assert _crowding(names, [*_markers(data), *thresholds], data, lambda key: "") == [], edition
