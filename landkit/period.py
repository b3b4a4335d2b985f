"""What changed in a period (本月变化): the project as its ledgers stood on a date, the findings
new and resolved between two dates, and the page that shows them."""

from __future__ import annotations

import html

import pandas as pd

from .i18n import columns
from .i18n import t as say
from .report import Stamp, _page, _table
from .tables import findings_table, village_names


def as_of(layers: dict, date) -> dict:
    """The project as its ledgers stood on ``date``: events after it left out, each parcel's and
    village's status rebuilt from the events up to it, the dates of steps taken after it
    (``acquired_on`` … ``started_on``) left empty, parcels with no event by then left out
    (and their ``target_parcels`` rows, so that the audit of it is of the ledger then). The
    geometry is today's: a parcel redrawn since shows its new shape. A target's figures come from
    the project as it is (``reserve.progress(..., as_of=date)``, :func:`meeting_pack` with
    ``date``): a task's target is all its parcels whatever the date."""
    from .relocation import village_status
    from .reserve import state_as_of

    date = pd.Timestamp(date)
    out = dict(layers)
    events = layers["events"]
    out["events"] = events[events["date"] <= date]
    state = state_as_of(events, date)
    parcels = layers["parcels"]
    if layers.get("parcels_history") is not None:  # the parcels valid then, retired ones back (landkit.lineage)
        from .lineage import history_as_of, parcels_as_of

        parcels = parcels_as_of(parcels, layers["parcels_history"], date)
        out["parcels_history"] = history_as_of(layers["parcels_history"], date)
    out["parcels"] = _dates_by(parcels[parcels.index.isin(state.index)].assign(status=state), date)
    members = layers.get("target_parcels")
    if members is not None and "parcel_id" in members:  # a task's parcels that were not yet on the ledger
        out["target_parcels"] = members[members["parcel_id"].isin(state.index)]
    paid = layers.get("payments")
    if paid is not None and "date" in paid:  # payments made after the date had not been made then
        out["payments"] = paid[~(paid["date"] > date)]  # (an undated one is the audit's finding, kept)
        if not len(out["payments"]) and len(paid):  # none yet: no ledger then, not an empty one to warn of
            del out["payments"]
    moves = layers.get("relocation_events")
    if moves is not None and "villages" in layers:
        out["relocation_events"] = moves[moves["date"] <= date]
        out["villages"] = layers["villages"].assign(
            relocation_status=village_status(layers["villages"], moves, as_of=date)
        )
    return out


#: The parcels' dates of steps taken (the ledger's transitions and the start of works): a date after
#: the as-of day had not happened then. ``start_due_on`` is an agreed deadline, kept.
_DAYS_TAKEN = ("acquired_on", "approved_on", "supplied_on", "started_on")


def _dates_by(parcels, date: pd.Timestamp):
    """The parcels with each step's date left empty where it falls after ``date``."""
    later = {c: pd.to_datetime(parcels[c], errors="coerce") > date for c in _DAYS_TAKEN if c in parcels}
    return parcels.assign(**{c: parcels[c].mask(mask) for c, mask in later.items() if mask.any()})


def _latest(layers: dict, since) -> pd.Timestamp | None:
    """The latest date of the three ledgers (events, relocation steps, payments) not after today."""
    from .reserve import data_date

    days = [data_date(layers[n]) for n in ("events", "relocation_events", "payments") if layers.get(n) is not None]
    days = [pd.Timestamp(d) for d in days if d is not None]
    return max([*days, pd.Timestamp(since)]) if days else None


def relocation_steps(layers: dict, since, until) -> pd.DataFrame:
    """The villages' relocation steps recorded after ``since`` up to ``until``: ``village_code``,
    ``date``, ``before`` → ``after`` (the village's status before the step and after it), its
    ``households`` and ``document_ref``, in date order."""
    from .schema import RELOCATION

    columns = ["village_code", "date", "before", "after", "households", "document_ref"]
    moves = layers.get("relocation_events")
    if moves is None or not len(moves) or "village_code" not in moves:
        return pd.DataFrame(columns=columns)
    moves = moves.sort_values("date", kind="stable")  # recording order within a day
    before = moves.groupby("village_code")["status"].shift(1).fillna(RELOCATION.start)
    period = (moves["date"] > pd.Timestamp(since)) & (moves["date"] <= pd.Timestamp(until))
    villages = layers.get("villages")
    households = villages["households"] if villages is not None and "households" in villages else pd.Series(dtype=float)
    out = pd.DataFrame(
        {
            "village_code": moves["village_code"].astype(str),
            "date": moves["date"],
            "before": before,
            "after": moves["status"],
            "households": moves["village_code"].astype(str).map(households.set_axis(households.index.astype(str))),
            "document_ref": moves.get("document_ref"),
        }
    )[period]
    return out  # indexed by the step's event_id


def payments_of(layers: dict, since, until) -> pd.DataFrame:
    """The payments recorded after ``since`` up to ``until``, each with what its village had been paid
    before it and after it (``paid_before_yuan`` → ``paid_after_yuan``, all its payments and
    corrections up to it, summed in fen): ``payment_id``, ``village_code``, ``parcel_id``, ``date``,
    ``kind``, ``amount_yuan``, ``document_ref``, ``corrects``."""
    columns = ["payment_id", "village_code", "parcel_id", "date", "kind", "amount_yuan",
               "paid_before_yuan", "paid_after_yuan", "document_ref", "corrects"]  # fmt: skip
    paid = layers.get("payments")
    if paid is None or not len(paid):
        return pd.DataFrame(columns=columns).set_index("payment_id")
    paid = paid.reset_index().sort_values(["date", "payment_id"], kind="stable")
    fen = pd.to_numeric(paid["amount_fen"], errors="coerce").fillna(0).astype("int64")
    village = paid["village_code"].astype(object).where(paid["village_code"].notna(), "")
    after = fen.groupby(village.to_numpy()).cumsum()
    period = (paid["date"] > pd.Timestamp(since)) & (paid["date"] <= pd.Timestamp(until))
    out = paid.assign(amount_yuan=fen / 100, paid_before_yuan=(after - fen) / 100, paid_after_yuan=after / 100).reindex(
        columns=columns
    )
    return out[period].set_index("payment_id")


def _finding_keys(findings: pd.DataFrame) -> pd.Series:
    return findings["rule"] + "|" + findings["layer"] + "|" + findings["ids"].map(lambda i: ";".join(map(str, i)))


def period_changes(layers: dict, since, until=None, *, rules: dict | None = None, now=None, reuse=None) -> dict:
    """What changed between two dates (本月变化): the ledger's events, the parcels whose status
    changed, parcels and mu per status at both ends (:func:`landkit.reserve.changes`), and the
    audit findings that are new at the end or resolved since the start (an audit of the project
    as it stood on each date, :func:`as_of`, so that both ends are judged alike).

    ``now``: the audit's findings of ``layers`` as they stand (the pack has them already); used
    for the end of the period when the project on ``until`` is the project as it stands (no later
    or future-dated event, every parcel on the ledger, every status the ledger's), else the end is
    audited as it stood. A period in which the ledgers recorded nothing starts as it ends: its
    start is not audited again. The audit of the start takes the geometry checks whose input is
    the same from the audit of the end (:class:`landkit.reuse.Reuse`; ``reuse``: one the audit of
    ``now`` was given too)."""
    from . import audit, reserve
    from .reuse import Reuse

    if until is None:  # up to the latest day any ledger has reached (not after today)
        until = _latest(layers, since)
    parcels, then = layers["parcels"], None
    if layers.get("parcels_history") is not None and until is not None:  # each end's own parcels (lineage)
        from .lineage import parcels_as_of

        parcels = parcels_as_of(parcels, layers["parcels_history"], pd.Timestamp(until))
        then = parcels_as_of(layers["parcels"], layers["parcels_history"], pd.Timestamp(since))
    found = reserve.changes(parcels, layers["events"], since=since, until=until, then=then)
    until = found["events"].attrs["until"]
    found["relocation"] = relocation_steps(layers, since, until)
    found["payments"] = payments_of(layers, since, until)
    end = as_of(layers, until)
    reuse = reuse if reuse is not None else Reuse()
    if now is None or not _same_state(layers, end):
        now = audit.audit(end, rules=rules, reuse=reuse)
    start = as_of(layers, since)
    then = now if _same_state(end, start) else audit.audit(start, rules=rules, reuse=reuse)
    now_keys, then_keys = _finding_keys(now), _finding_keys(then)
    found["new_findings"] = now[~now_keys.isin(set(then_keys))]
    found["resolved_findings"] = then[~then_keys.isin(set(now_keys))]
    return found


def _same_state(layers: dict, then: dict) -> bool:
    """Whether :func:`as_of` left the project as it is: the same events, parcels and statuses
    (``then`` is ``layers`` as of a date, or ``layers`` are as of a later date than ``then``)."""
    for name in ("events", "relocation_events", "target_parcels"):
        if name in layers and len(then[name]) != len(layers[name]):
            return False
    parcels, kept = layers["parcels"], then["parcels"]
    if not kept.index.equals(parcels.index) or not kept["status"].astype(str).equals(parcels["status"].astype(str)):
        return False
    if "villages" in layers and "relocation_status" in layers["villages"]:
        moved = then["villages"]["relocation_status"].astype(str)
        return bool(moved.equals(layers["villages"]["relocation_status"].astype(str)))
    return True


def month_start(date) -> pd.Timestamp:
    """The last day of the month before ``date``: a monthly meeting's period starts after it."""
    return pd.Timestamp(date).normalize() - pd.offsets.MonthEnd(1)


def changes_html(found: dict, layers: dict, stamp: Stamp, lang: str = "zh") -> str:
    """The 本月变化 page: the period, status totals at both ends, the parcels that changed, the
    events, new and resolved findings (its counts tagged as the registered figures); every value escaped."""
    from . import figures
    from .schema import label

    since, until = found["events"].attrs["since"], found["events"].attrs["until"]
    none = say("pack.none", lang)
    names = village_names(layers, layers["parcels"].get("village_code"))
    by_status = found["by_status"].rename(index=lambda s: label(s, lang)).reset_index()
    moved = (
        found["parcels"]
        .assign(
            village=names.reindex(found["parcels"].index).to_numpy(),
            before=found["parcels"]["before"].map(lambda s: label(s, lang) or none),
            after=found["parcels"]["after"].map(lambda s: label(s, lang) or none),
        )
        .reset_index()
    )
    events = found["events"].assign(
        date=found["events"]["date"].dt.date,
        event_type=found["events"]["event_type"].map(lambda s: label(s, lang)),
        status=found["events"]["status"].map(lambda s: label(s, lang)),
    )
    headers = columns.headers(lang, "all", "changes")
    steps, paid = _steps_and_payments_shown(found, layers, lang)
    new, resolved = (findings_table(found[k], lang) for k in ("new_findings", "resolved_findings"))
    keep = ["severity", "rule", "layer", "ids", "area_mu", "message"]
    tables = {
        "changes.by_status": by_status,
        "changes.moved": moved,
        "changes.events": events.reset_index()[["parcel_id", "date", "event_type", "status", "document_ref"]],
        "changes.relocation": steps,
        "changes.payments": paid,
        "changes.new": new[keep],
        "changes.resolved": resolved[keep],
    }
    body = "<p>" + say(
        "changes.summary",
        lang,
        since=html.escape(since),
        until=html.escape(until),
        events=figures.tag("changes.events", "", len(found["events"]), lang),
        parcels=figures.tag("changes.parcels", "", len(found["parcels"]), lang, unit=False),
        new=figures.tag("changes.new_findings", "", len(new), lang),
        resolved=figures.tag("changes.resolved_findings", "", len(resolved), lang),
    )
    body += "</p>"
    for title, df in tables.items():
        shown_df = df.rename(columns=headers)
        body += f"<h2>{html.escape(say(title, lang))}</h2>" + (_table(shown_df) if len(df) else f"<p>{none}</p>")
    return _page(say("changes.title", lang, since=since, until=until), body, stamp, lang)


def _steps_and_payments_shown(found: dict, layers: dict, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The period's relocation steps and payments as planners read them: villages by name,
    statuses and kinds in the language, amounts in yuan to the fen with separators."""
    from .i18n import named
    from .payments import PAYMENT_KINDS
    from .schema import RELOCATION_STATUSES

    def status(code) -> str:
        return named(str(code), RELOCATION_STATUSES, lang) if code is not None and code == code else ""

    def yuan(value) -> str:
        return "" if value is None or value != value else f"{value:,.2f}"

    steps = found.get("relocation", pd.DataFrame(columns=["village_code", "date", "before", "after"]))
    steps = steps.assign(
        village=village_names(layers, steps["village_code"]).to_numpy(),
        date=pd.to_datetime(steps["date"]).dt.date,
        before=steps["before"].map(status),
        after=steps["after"].map(status),
    )[["village", "date", "before", "after", "households", "document_ref"]]
    paid = found.get("payments", pd.DataFrame(columns=["payment_id", "village_code", "date", "kind"]))
    paid = paid.reset_index() if paid.index.name == "payment_id" else paid
    paid = paid.assign(
        village=village_names(layers, paid["village_code"].where(paid["village_code"].notna(), None)).to_numpy(),
        date=pd.to_datetime(paid["date"]).dt.date,
        kind=paid["kind"].map(lambda k: named(str(k), PAYMENT_KINDS, lang) if k is not None and k == k else ""),
        **{c: paid[c].map(yuan) for c in ("amount_yuan", "paid_before_yuan", "paid_after_yuan") if c in paid},
    )
    keep = ["payment_id", "village", "parcel_id", "date", "kind", "amount_yuan", "paid_before_yuan",
            "paid_after_yuan", "document_ref"]  # fmt: skip
    return steps, paid.reindex(columns=keep)
