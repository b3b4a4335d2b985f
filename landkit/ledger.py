"""The two ledgers, recorded: events checked against their lifecycle and appended together with
the layer status they decide, in one transaction.

The ledgers (``events`` for reserve parcels, ``relocation_events`` for villages) are the
history; ``parcels.status`` and ``villages.relocation_status`` always equal the ledger's state
after its last event. Recording appends the events and updates those columns in the same
transaction, and :func:`sync` brings a project whose layers and ledger disagree back to one
truth. This module needs neither pandas nor GDAL, so that ``landkit record`` starts at once.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

from . import store
from .errors import LedgerError
from .schema import LAYERS, LEDGERS, RELOCATION, RESERVE, Ledger, as_code  # noqa: F401  (RESERVE re-exported)

#: The allowed transitions of a reserve parcel (储备地块状态机). A parcel's first event is a
#: transition to one of TRANSITIONS[None], or an opening balance at any status. Revocations step
#: back to the status before the last transition; corrections may set any status and need a
#: document reference.
TRANSITIONS: dict[str | None, tuple[str, ...]] = {
    None: ("planned",),
    "planned": ("acquiring",),
    "acquiring": ("acquired",),
    "acquired": ("submitted",),
    "submitted": ("approved",),
    "approved": ("reserved",),
    "reserved": ("developing", "transferred", "allocated"),
    "developing": ("transferred", "allocated"),
    "transferred": (),
    "allocated": (),
}


# -- dates --------------------------------------------------------------------------------------

_DATE = re.compile(
    r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?"
)
_DAY_FIRST = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
DATE_FORMS = "2026-11-27, 2026年11月27日, 2026/11/27 or 2026.11.27"


def parse_date(value: Any, *, future: bool = False, today: dt.date | None = None) -> str:
    """Return a date as ISO ``YYYY-MM-DD``, refusing empty, ambiguous, impossible and far-future dates.

    Accepted: 2026-11-27, 2026年11月27日, 2026/11/27, 2026.11.27, and date objects. A date more
    than a year after ``today`` is refused unless ``future`` (a typo in the year, as a rule).

    Examples
    --------
    >>> parse_date("2026年11月3日", today=dt.date(2026, 11, 28))
    '2026-11-03'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() in ("", "NaT", "nan"):
        raise LedgerError(f"the date is empty; write it as {DATE_FORMS}")
    if isinstance(value, dt.date):
        day = dt.date(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        match = _DATE.fullmatch(text)
        if match is None:
            if _DAY_FIRST.fullmatch(text):
                raise LedgerError(
                    f"the date {text!r} is ambiguous (day and month could be either way round); write it year first, "
                    "e.g. 2026-11-03"
                )
            raise LedgerError(f"{text!r} is not a date; write it as {DATE_FORMS}")
        try:
            day = dt.date(*map(int, match.groups()))
        except ValueError:
            raise LedgerError(f"{text!r} is not a date of the calendar; check the month and the day") from None
    today = today or dt.date.today()
    if not future and day > today + dt.timedelta(days=366):
        raise LedgerError(
            f"the date {day} is more than a year ahead; check the year "
            "(or pass --future / future=True for a planned date)"
        )
    return day.isoformat()


# -- events -------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() in ("", "nan", "NaT")


def _code(value: Any, vocabulary: Mapping[str, str], what: str) -> str:
    """Accept a code or its Chinese label (已批复 for approved), as :func:`landkit.schema.as_code` reads it."""
    if (code := as_code(value, vocabulary)) is not None:
        return code
    text = str(value).strip()
    choices = ", ".join(f"{c} ({label})" for c, label in vocabulary.items())
    raise LedgerError(f"unknown {what} {text!r}; use one of {choices}")


def _headers(ledger: Ledger) -> dict[str, str]:
    """Column name or Chinese label -> column name, for rows from a spreadsheet."""
    spec = LAYERS[ledger.table]
    out = {c.label_zh: c.name for c in spec.columns} | {c.name: c.name for c in spec.columns}
    return out | {"状态": "status", "编号": ledger.key, "地块编号": "parcel_id", "村代码": "village_code"}


def _normalise(ledger: Ledger, row: Mapping[str, Any], *, future: bool) -> dict[str, Any]:
    names = _headers(ledger)
    row = {names.get(str(k).strip(), str(k).strip()): v for k, v in row.items()}
    if _blank(row.get(ledger.key)):
        raise LedgerError(f"no {ledger.key}")
    if _blank(row.get("status")):
        raise LedgerError("no status")
    kind = "transition" if _blank(row.get("event_type")) else row["event_type"]
    return {
        ledger.key: str(row[ledger.key]).strip(),
        "date": parse_date(row.get("date"), future=future),
        "event_type": _code(kind, ledger.event_types, "event type"),
        "status": _code(row["status"], ledger.statuses, "status"),
        "document_ref": None if _blank(row.get("document_ref")) else str(row["document_ref"]).strip(),
        "note": None if _blank(row.get("note")) else str(row["note"]).strip(),
    }


def _refusal(ledger: Ledger, history: list[tuple[str, str, str]], event: Mapping[str, Any]) -> str | None:
    """Why ``event`` cannot follow ``history`` [(date, event_type, status) …], or None if it can."""
    noun, status, kind, date = ledger.noun, event["status"], event["event_type"], event["date"]
    current = history[-1][2] if history else ledger.start
    if current is not None and current not in ledger.statuses and kind not in ("correction", "opening"):
        return (
            f"the {noun}'s last recorded status {current!r} is no known status; record a correction (with the "
            "document that orders it) to a known status first"
        )
    if history and date < history[-1][0]:
        return (
            f"the event is dated {date}, before the {noun}'s last event ({history[-1][0]}); events are appended in "
            "date order: record a correction dated today instead"
        )
    if kind == "opening":
        return None if not history else f"an opening balance can only be a {noun}'s first event"
    if kind == "correction":
        return None if event.get("document_ref") else "a correction needs the document_ref (文号) that orders it"
    if kind == "revocation":
        steps = [s for _, k, s in history if k != "correction"]
        previous = steps[-2] if len(steps) >= 2 else None
        if previous is None or status != previous:
            return f"a revocation returns to the status before the last one ({previous}), not {status}"
        return None
    if ledger is RELOCATION:
        order = list(ledger.statuses)
        allowed: tuple[str, ...] = (order[order.index(str(current)) + 1],) if current != order[-1] else ()
    else:
        allowed = TRANSITIONS.get(current, ())
    if status in allowed:
        return None
    nexts = ", ".join(allowed) or f"none (the {noun} has reached its last status)"
    return f"{current or 'no status'} -> {status} is not allowed; next can be: {nexts}"


def replay(ledger: Ledger, events: Iterable[tuple]) -> tuple[dict[str, str], list[tuple[str, Any, str]]]:
    """Check a whole ledger, event by event; return each key's final state and every refusal.

    ``events`` are (event_id, key, date, event_type, status, document_ref) in recording order;
    they are replayed in date order. A refused event is reported and skipped.
    """
    history: dict[str, list[tuple[str, str, str]]] = {}
    refused = []
    for event_id, key, date, kind, status, doc in sorted(events, key=lambda e: str(e[2])[:10]):
        event = {"date": str(date)[:10], "event_type": kind or "transition", "status": status, "document_ref": doc}
        mine = history.setdefault(str(key), [])
        if reason := _refusal(ledger, mine, event):
            refused.append((str(key), event_id, reason))
        else:
            mine.append((event["date"], event["event_type"], status))
    return {k: h[-1][2] for k, h in history.items() if h}, refused


def _require(writer: Any, ledger: Ledger, path: Any) -> None:
    for table in (ledger.table, ledger.layer):
        if not writer.has(table):
            raise LedgerError(
                f"{path}: the project has no {table} layer ({LAYERS[table].label_zh}); add it "
                f"(landkit import SOURCE {path} --layer {table}) before recording"
            )


def _as_rows(events: Any) -> list[Mapping[str, Any]]:
    if hasattr(events, "to_dict"):  # a DataFrame: its index may be the ledger's key
        frame = events.reset_index() if events.index.name else events
        return list(frame.to_dict("records"))
    if isinstance(events, Mapping):
        return [events]
    return list(events)


def _ledger_of(rows: list[Mapping[str, Any]]) -> Ledger:
    names = {str(k).strip() for row in rows[:1] for k in row}
    keys = [ledger for ledger in LEDGERS if {k for k, v in _headers(ledger).items() if v == ledger.key} & names]
    if len(keys) > 1:
        raise LedgerError(
            "the events name both parcels (地块编号/parcel_id) and villages (村代码/village_code); record them apart"
        )
    for ledger in keys:
        fields: dict[str, list[str]] = {}
        for name in names:
            if name in _headers(ledger):
                fields.setdefault(_headers(ledger)[name], []).append(name)
        twice = {f: cols for f, cols in fields.items() if len(cols) > 1}
        if twice:
            field, cols = next(iter(twice.items()))
            raise LedgerError(f"the columns {' and '.join(sorted(cols))} both give {field}; keep one of them")
    for ledger in LEDGERS:
        if {k for k, v in _headers(ledger).items() if v == ledger.key} & names:
            return ledger
    raise LedgerError("the events name no parcel_id (地块编号) or village_code (村代码) column; add one")


def record_events(path: str | os.PathLike, events: Any, *, future: bool = False) -> list[int]:
    """Append many events to a project's ledger in one transaction; return their event ids.

    ``events`` is a DataFrame or a list of dicts with ``parcel_id`` (or ``village_code`` for the
    relocation ledger), ``date``, ``status`` and optionally ``event_type``, ``document_ref`` and
    ``note``; Chinese column names and status labels (已批复 …) are accepted. Each event is
    checked against the lifecycle and against the events before it, in the file and in the
    batch (taken in date order). One bad row refuses the whole batch, with every bad row listed.
    The layer's status column follows the ledger in the same transaction.
    """
    rows = _as_rows(events)
    if not rows:
        return []
    ledger = _ledger_of(rows)
    errors: list[str] = []
    clean: list[tuple[int, dict[str, Any]]] = []
    for n, row in enumerate(rows, start=1):
        try:
            clean.append((n, _normalise(ledger, row, future=future)))
        except LedgerError as exc:
            errors.append(f"row {n}: {exc}")
    clean.sort(key=lambda item: item[1]["date"])
    with store.writing(path) as writer:
        _require(writer, ledger, path)
        keys = sorted({e[ledger.key] for _, e in clean})
        features: dict[str, list[tuple[int, Any]]] = {}
        features.update(store.layer_features(writer, ledger, keys))
        history = store.ledger_history(writer, ledger, keys)
        for n, event in clean:
            key = event[ledger.key]
            mine = history.setdefault(key, [])
            if key not in features:
                errors.append(f"row {n}: {ledger.noun} {key!r} is not in the project's {ledger.layer}; check the id")
            elif reason := _refusal(ledger, mine, event):
                if not mine and features[key][0][1] not in (None, ledger.start) and event["event_type"] == "transition":
                    reason += (
                        f" (it has no events yet and its layer says {features[key][0][1]}: record that first with "
                        f"event type opening, or run `landkit sync {path} --apply --as-of DATE`)"
                    )
                errors.append(f"row {n}: {key}: {reason}")
            else:
                mine.append((event["date"], event["event_type"], event["status"]))
        if errors and len(rows) == 1:
            raise LedgerError(f"{path}: {errors[0].removeprefix('row 1: ')}; nothing was recorded")
        if errors:
            shown = "\n  - ".join(errors[:50]) + (f"\n  … and {len(errors) - 50} more" if len(errors) > 50 else "")
            raise LedgerError(
                f"{path}: {len(errors)} of {len(rows)} event(s) refused; nothing was recorded:\n  - {shown}"
            )
        first = _next_id(writer, ledger, path)
        out = [{"event_id": first + i, **event} for i, (_, event) in enumerate(clean)]
        if all(e["event_type"] == "transition" for e in out) and "event_type" not in writer.columns(ledger.table):
            out = [{k: v for k, v in e.items() if k != "event_type"} for e in out]
        elif "event_type" not in writer.columns(ledger.table):
            writer.add_column(ledger.table, "event_type")
        writer.insert(ledger.table, out)
        store.follow_ledger(writer, ledger, features, history)
    return [e["event_id"] for e in out]


def record_event(
    path: str | os.PathLike,
    parcel_id: str,
    status: str,
    date: Any,
    *,
    event_type: str = "transition",
    document_ref: str | None = None,
    note: str | None = None,
    future: bool = False,
) -> dict[str, Any]:
    """Append one event to a project's reserve ledger and set the parcel's status, in one transaction.

    Refuses an unknown parcel or status, a transition the lifecycle does not allow, and a date
    before the parcel's last event (:class:`LedgerError`). Returns the recorded row.
    """
    row = {"parcel_id": parcel_id, "date": date, "status": status, "event_type": event_type,
           "document_ref": document_ref, "note": note}  # fmt: skip
    (event_id,) = record_events(path, [row], future=future)
    return {"event_id": event_id, **row, "date": parse_date(date, future=future)}


def record_relocation_event(
    path: str | os.PathLike,
    village_code: str,
    status: str,
    date: Any,
    *,
    document_ref: str | None = None,
    note: str | None = None,
    future: bool = False,
) -> dict[str, Any]:
    """Append a village's next relocation step (agreement signed, moved, demolished) and set its status."""
    row = {"village_code": village_code, "date": date, "status": status, "document_ref": document_ref, "note": note}
    (event_id,) = record_events(path, [row], future=future)
    return {"event_id": event_id, **row, "date": parse_date(date, future=future)}


def _next_id(writer: Any, ledger: Ledger, path: Any) -> int:
    last = writer.max(ledger.table, "event_id")
    try:
        return int(last or 0) + 1
    except (TypeError, ValueError):
        raise LedgerError(
            f"{path}: {ledger.table}.event_id holds text ({last!r}); event ids are sequence numbers 1, 2, 3 …: "
            "renumber them in the source and import the table again"
        ) from None


def sync(path: str | os.PathLike, *, apply: bool = False, as_of: Any = None) -> list[dict[str, Any]]:
    """Make the layers follow the ledgers; return every change (written only with ``apply``).

    A feature whose status differs from its ledger's state gets the ledger's state. A feature
    with a status but no event gets, with ``apply``, an opening-balance event (``event_type``
    "opening") dated ``as_of``, so that its history starts from what the file says; ``as_of`` is
    then required. A status typed as its Chinese label (已批复) is read as its code; a status
    that is neither is listed ("unknown") and, with ``apply``, refused. Each change is a dict:
    ``layer``, ``id``, ``change`` ("status", "opening" or "unknown"), ``from``, ``to``.
    """
    day = parse_date(as_of) if as_of is not None else None
    changes: list[dict[str, Any]] = []
    with store.writing(path, dry_run=not apply) as writer:
        for ledger in LEDGERS:
            if not (writer.has(ledger.table) and writer.has(ledger.layer)):
                continue
            history = store.ledger_history(writer, ledger)
            features = store.layer_features(writer, ledger)
            labels = {label: code for code, label in ledger.statuses.items()}
            openings: dict[str, str] = {}
            unknown: list[str] = []
            for key, rows in features.items():
                for _, said in rows:
                    code = labels.get(said, said)
                    if key in history:
                        if said != history[key][-1][2]:
                            change = {"change": "status", "from": said, "to": history[key][-1][2]}
                            changes.append({"layer": ledger.layer, "id": key, **change})
                    elif said is not None and code not in ledger.statuses:
                        unknown.append(f"{key} ({said!r})")
                        changes.append(
                            {"layer": ledger.layer, "id": key, "change": "unknown", "from": said, "to": None}
                        )
                    elif code not in (None, ledger.start) and key not in openings:
                        openings[key] = code
                        changes.append(
                            {"layer": ledger.table, "id": key, "change": "opening", "from": None, "to": code}
                        )
            if not apply:
                continue
            if unknown:
                raise LedgerError(
                    f"{path}: {len(unknown)} {ledger.noun}(s) have a {ledger.status_column} that is no known status: "
                    f"{', '.join(unknown[:5])}; use one of {', '.join(ledger.statuses)} (or their Chinese names), "
                    "then sync again"
                )
            if openings and day is None:
                raise LedgerError(
                    f"{path}: {len(openings)} {ledger.noun}(s) have a status but no event; give the date of their "
                    "opening balance with --as-of DATE (as_of=)"
                )
            if openings:
                first = _next_id(writer, ledger, path)
                writer.add_column(ledger.table, "event_type")
                note = "期初 opening balance from the layer (landkit sync)"
                writer.insert(
                    ledger.table,
                    [
                        {
                            "event_id": first + i,
                            ledger.key: key,
                            "date": day,
                            "event_type": "opening",
                            "status": code,
                            "document_ref": None,
                            "note": note,
                        }
                        for i, (key, code) in enumerate(openings.items())
                    ],
                )
                for key, code in openings.items():
                    history[key] = [(str(day), "opening", code)]
            store.follow_ledger(writer, ledger, features, history)
    return changes
