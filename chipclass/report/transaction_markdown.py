"""A determination as markdown (a pull-request comment, an order's record). Text from a
file or a list is escaped so it renders as text, never as markup."""

from __future__ import annotations

import re

from chipclass.report.markdown import LABEL_MARKS
from chipclass.report.registry import Determined
from chipclass.report.screen import printable
from chipclass.report.transaction_text import compared_text
from chipclass.transaction.determine import Determination

#: what markdown (and the HTML it may carry) could read as markup; a line of ours never
#: starts with the escaped text, so list and heading markers inside it are inert
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")


def md(text: str) -> str:
    """Text that markdown shows as written: one line, every markup character escaped."""
    return _SPECIAL.sub(r"\\\1", printable(text))


def transaction_markdown(found: Determination, explain: bool = False) -> str:
    tx = found.transaction
    ctx = found.context
    out = [
        f"### Transaction {md(tx.id)}: {LABEL_MARKS[found.label]}",
        "",
        f"{md(str(found.day))}, to {md(ctx.destination.label)}; edition {md(ctx.edition.id)}"
        f" ({md(ctx.edition.status)})",
        "",
    ]
    if found.possible:
        out += [f"Could be: {', '.join(found.possible)}", ""]
    rows = [
        [r.label, r.kind, r.rule, r.text + (f" (citation: {r.citation})" if explain else "")]
        for r in found.reasons
    ]
    out.append(_table(("label", "kind", "rule", "reason"), rows))
    if explain:
        for r in found.reasons:
            for compared in r.numbers:
                out.append(f"- {md(r.rule)}: {md(compared_text(compared))}")
        out.append("")
    out += ["**Red flags** (to resolve; not license requirements)", ""]
    if not found.red_flags:
        out += ["none", ""]
    for flag in found.red_flags:
        out.append(f"- {md(flag.kind)}: {md(flag.text)} ({md(flag.citation)})")
    out.append("")
    if found.not_enforced:
        out += ["**Not enforced** (no effect on the label)", ""]
        for item in found.not_enforced:
            out.append(f"- {md(item.rule)}: {md(item.text)}")
        out.append("")
    for snapshot in ctx.lists:
        out.append(
            f"List: {md(snapshot.name)}, as of {md(str(snapshot.as_of or 'undated'))},"
            f" sha256 `{snapshot.sha256[:12]}`"
        )
    return "\n".join(out) + "\n"


def _table(columns: tuple[str, ...], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(md(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def markdown_report(determined: Determined) -> str:
    """`transaction --format markdown`."""
    return transaction_markdown(determined.found, determined.explain)
