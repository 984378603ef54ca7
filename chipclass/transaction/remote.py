"""Remote access and IaaS: red flags with their dates, never license requirements where
the law has none. Using items already exported, from elsewhere, is not an export; the
2024 KYC rule is only proposed; the 2025-05-13 BIS guidance names red flags."""

from __future__ import annotations

from chipclass.transaction.context import Context
from chipclass.transaction.reasons import RedFlag


def remote_flags(ctx: Context) -> list[RedFlag]:
    use = ctx.tx.end_use
    remote = use.kind == "iaas" or bool(use.remote_users)
    if not remote:
        return []
    found: list[RedFlag] = []
    users = ", ".join(ctx.label_of(c) for c in use.remote_users) or "not stated"
    kyc = ctx.law.holding("iaas-kyc", ctx.day)
    if kyc is not None:
        found.append(
            RedFlag(
                kind="iaas-kyc-proposed",
                text=f"remote users ({users}) reach the items as a service; the IaaS KYC rule"
                f" is {kyc.status} since {kyc.start}, not a final rule: no license requirement"
                " for remote use on this day; know the customer",
                subject="end use",
                source=kyc.url,
                citation=kyc.citation,
                since=kyc.start,
                status=kyc.status,
            )
        )
    else:
        found.append(
            RedFlag(
                kind="remote-access",
                text=f"remote users ({users}) reach the items; no rule on remote access or"
                f" IaaS is modelled before 2024-01-29 (the proposed KYC rule): no license"
                " requirement for remote use on this day",
                subject="end use",
                source="",
                citation="-",
            )
        )
    d5_users = [c for c in use.remote_users if ctx.in_d5_or_macau(c)]
    d5_parties = [p.name for p in ctx.tx.parties if ctx.in_d5_or_macau(p.hq)]
    guidance = ctx.law.holding("ai-training-guidance", ctx.day)
    if guidance is not None and (d5_users or d5_parties):
        who = ", ".join([*(ctx.label_of(c) for c in d5_users), *d5_parties])
        found.append(
            RedFlag(
                kind="ai-training-d5",
                text=f"users or parties in or headquartered in D:5 or Macau ({who}) may train AI"
                f" models on the items: a red flag under BIS guidance of {guidance.start}"
                f" ({guidance.status}, not a regulation)",
                subject="end use",
                source=guidance.url,
                citation=guidance.citation,
                since=guidance.start,
                status=guidance.status,
            )
        )
    bill = ctx.law.holding("remote-access-bill", ctx.day)
    if bill is not None:
        found.append(
            RedFlag(
                kind="remote-access-bill",
                text=f"{bill.citation}: a bill, not law, would control remote access by foreign"
                " persons; no license requirement from it",
                subject="end use",
                source=bill.url,
                citation=bill.citation,
                since=bill.start,
                status=bill.status,
            )
        )
    return found
