"""A determination as the JSON document of spec-format.md section 10."""

from __future__ import annotations

from typing import Any

from chipclass import __version__
from chipclass.numbers import number
from chipclass.report.jsontext import dumps
from chipclass.report.registry import Determined
from chipclass.transaction.certifications import conditions_of
from chipclass.transaction.context import Classified
from chipclass.transaction.determine import Determination
from chipclass.transaction.reasons import Compared, Reason, RedFlag, Reported
from chipclass.transaction.supercomputer import Aggregate


def transaction_dict(found: Determination) -> dict[str, Any]:
    tx = found.transaction
    ctx = found.context
    return {
        "chipclass": __version__,
        "transaction": tx.id,
        "file": tx.path,
        "date": found.day.isoformat(),
        "destination": ctx.destination.code,
        "determination": {
            "label": found.label,
            "possible_labels": list(found.possible),
            "reasons": [_reason(r) for r in found.reasons],
            "red_flags": [_flag(f) for f in found.red_flags],
            "not_enforced": [_reported(r) for r in found.not_enforced],
        },
        "items": [_item(found, i) for i in range(len(tx.items))],
        "parties": [_party(found, c) for c in tx.companies()],
        "end_use": _end_use(found),
        "certifications": _certifications(found),
        "lists": [
            {
                "name": s.name,
                "as_of": s.as_of.isoformat() if s.as_of else None,
                "sha256": s.sha256,
                "entries": len(s.entries),
            }
            for s in ctx.lists
        ],
        "editions": [
            {
                "id": e.id,
                "status": e.status,
                "effective": e.effective.isoformat(),
                "citation": e.citation,
                "destination": ctx.destination.code,
            }
            for e in found.editions
        ],
    }


def transaction_json(found: Determination) -> str:
    return dumps(transaction_dict(found)) + "\n"


def compared_dict(c: Compared) -> dict[str, Any]:
    return {
        "what": c.what,
        "value": number(c.value),
        "op": c.op,
        "threshold": number(c.threshold),
        "unit": c.unit,
        "met": c.met,
        "margin": number(c.margin),
        "margin_pct": number(round(c.margin_pct, 3)) if c.margin_pct is not None else None,
    }


def _reason(r: Reason) -> dict[str, Any]:
    return {
        "kind": r.kind,
        "rule": r.rule,
        "label": r.label,
        "text": r.text,
        "subject": r.subject,
        "citation": r.citation,
        "url": r.url,
        "text_kind": r.text_kind,
        "rule_text": r.rule_text,
        "status": r.status,
        "dates": r.date_note,
        "possible_labels": list(r.possible),
        "numbers": [compared_dict(c) for c in r.numbers],
    }


def _flag(f: RedFlag) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "text": f.text,
        "source": f.source,
        "citation": f.citation,
        "subject": f.subject,
        "since": f.since.isoformat() if f.since else None,
        "status": f.status,
    }


def _reported(r: Reported) -> dict[str, Any]:
    return {
        "kind": r.kind,
        "rule": r.rule,
        "text": r.text,
        "subject": r.subject,
        "citation": r.citation,
        "url": r.url,
        "status": r.status,
        "would_be": r.would_be,
        "numbers": [compared_dict(c) for c in r.numbers],
    }


def _item(found: Determination, index: int) -> dict[str, Any]:
    item = found.transaction.items[index]
    data: dict[str, Any] = {"key": item.key, "kind": item.kind, "name": item.name}
    if item.kind == "model":
        data.update(
            model=item.model,
            training_operations=number(item.training_operations),
            published_weights=item.published_weights,
        )
        return data
    data.update(
        sheet=item.sheet, count=item.count, units=item.units, chips_per_unit=item.chips_per_unit
    )
    classified = next((c for c in found.context.classified if c.item.key == item.key), None)
    if classified is not None:
        data["eccn"] = classified.eccn
        data["label"] = classified.verdict.label
        data["result"] = _result(classified)
        data["conditions"] = (
            [
                {"clause": "742.6(b)(10)(iii)", "condition": c.id, "status": c.status}
                for c in conditions_of(found.context, classified)
            ]
            if any(x.startswith("742.6(b)(10)") for x in classified.certified)
            else []
        )
    return data


def _result(classified: Classified) -> dict[str, Any]:
    """The classify JSON result (section 5), with the verdict for the destination only."""
    data = classified.result.to_dict()
    data["verdicts"] = data["verdicts"][:1]
    return data


def _party(found: Determination, company: Any) -> dict[str, Any]:
    from chipclass.transaction.model import name_key

    screened = found.context.screening(company)
    standing = found.standings.get(name_key(company.name))
    return {
        "name": company.name,
        "key": company.key,
        "role": company.role,
        "country": company.country,
        "headquarters": company.hq,
        "owners": [{"name": o.name, "share_pct": number(o.share_pct)} for o in company.owners],
        "matches": [
            {
                "entry_id": m.entry.id,
                "name": m.entry.name,
                "matched_name": m.matched_name,
                "score": number(m.score),
                "list": m.list_name,
                "federal_register": list(m.entry.federal_register),
                "license_requirement": m.entry.license_requirement,
                "license_policy": m.entry.license_policy,
                "added": m.entry.added.isoformat() if m.entry.added else None,
            }
            for m in (screened.listings if screened else ())
        ],
        "listed_ownership_pct": number(standing.aggregate) if standing else None,
        "captured": standing.captured if standing else None,
    }


def _end_use(found: Determination) -> dict[str, Any]:
    use = found.transaction.end_use
    summary = found.end_use

    def agg(value: object) -> dict[str, Any] | None:
        if not isinstance(value, Aggregate):
            return None
        return {
            "pf": number(value.value),
            "known_pf": number(value.known_pf),
            "missing": list(value.missing),
        }

    return {
        "kind": use.kind,
        "remote_users": list(use.remote_users),
        "volume_ft3": number(use.volume_ft3),
        "fp64": agg(summary.get("fp64")),
        "fp32": agg(summary.get("fp32")),
        "supercomputer": summary.get("supercomputer"),
        "supercomputer_rule_reaches": summary.get("reaches"),
    }


def _certifications(found: Determination) -> dict[str, Any]:
    given = found.transaction.certifications
    return {
        **{k: v for k, v in given.flags.items()},
        "share_of_us_shipments_pct": number(given.share_of_us_shipments_pct),
    }


def json_report(determined: Determined) -> str:
    """`transaction --format json`."""
    return transaction_json(determined.found)
