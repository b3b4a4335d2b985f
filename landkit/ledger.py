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
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from . import store
from .errors import LedgerError, _Said
from .i18n import language, named, t
from .schema import LAYERS, LEDGERS, RELOCATION, RESERVE, Ledger, as_code

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


class Phrase(_Said):
    """Words inside a message that are said by language: a noun, a status (its code in English, its
    Chinese name in Chinese), a list of refused rows. A coded error holding one as a field says it
    in the error's language (``str()`` is the English)."""

    def __init__(self, say: Callable[[str], str]) -> None:
        self.code, self.fields, self._say = None, {}, say

    def text(self, lang: str | None = None) -> str:
        return self._say(language(lang))

    def __str__(self) -> str:
        return self._say("en")


def _noun(ledger: Ledger) -> Phrase:
    return Phrase(lambda lang: t(f"ledger.noun.{ledger.table}", lang))


def _status(ledger: Ledger, code: str | None) -> Phrase:
    """A status as its code (English) or its Chinese name (as the ledger's vocabulary names it)."""
    if code is None:
        return Phrase(lambda lang: t("ledger.no_status_yet", lang))
    return Phrase(lambda lang: named(code, ledger.statuses, lang))


def _choices(vocabulary: Mapping[str, str]) -> Phrase:
    return Phrase(
        lambda lang: t("ledger.list_sep", lang).join(
            t("ledger.choice", lang, value=c, name=n) for c, n in vocabulary.items()
        )
    )


def _statuses(ledger: Ledger, lang: str) -> str:
    return t("ledger.list_sep", lang).join(_status(ledger, s).text(lang) for s in ledger.statuses)


def _columns(columns: list[str], lang: str) -> str:
    """Column names as typed (quoted in English: they may be Chinese)."""
    return t("ledger.and", lang).join(f"`{c}`" if lang == "en" else c for c in columns)


def _key_said(found: list[tuple[str, Any]], lang: str) -> str:
    return t("ledger.list_sep", lang).join(t("ledger.key_said", lang, key=k, said=said) for k, said in found)


# -- dates --------------------------------------------------------------------------------------

_DATE = re.compile(
    r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?"
)
_DAY_FIRST = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")


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
        raise LedgerError(code="ledger.date_empty")
    if isinstance(value, dt.date):
        day = dt.date(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        match = _DATE.fullmatch(text)
        if match is None:
            if _DAY_FIRST.fullmatch(text):
                raise LedgerError(code="ledger.date_ambiguous", value=text)
            raise LedgerError(code="ledger.not_a_date", value=text)
        try:
            day = dt.date(*map(int, match.groups()))
        except ValueError:
            raise LedgerError(code="ledger.not_in_calendar", value=text) from None
    today = today or dt.date.today()
    if not future and day > today + dt.timedelta(days=366):
        raise LedgerError(code="ledger.far_ahead", date=day.isoformat())
    return day.isoformat()


# -- events -------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() in ("", "nan", "NaT")


def _code(value: Any, vocabulary: Mapping[str, str], unknown: str) -> str:
    """Accept a code or its Chinese label (已批复 for approved), as :func:`landkit.schema.as_code` reads it."""
    if (code := as_code(value, vocabulary)) is not None:
        return code
    raise LedgerError(code=unknown, value=str(value).strip(), choices=_choices(vocabulary))


#: a batch's column naming a village by its name (沈庄, 沈庄村, Shenzhuang), resolved to its code
VILLAGE_NAME = "village_name"
#: headers a batch may carry that say nothing to the ledger: a row's serial number
IGNORED_HEADERS = ("序号",)


def _headers(ledger: Ledger) -> dict[str, str]:
    """Column name or Chinese label -> column name, for rows from a spreadsheet (the README's
    documented headers: 地块编号/parcel_id or 村代码/village_code or 村名, 日期/date, 新状态/status,
    事件类型/event_type, 文号/document_ref, 备注/note, for both ledgers)."""
    spec = LAYERS[ledger.table]
    out = {c.label_zh: c.name for c in spec.columns} | {c.name: c.name for c in spec.columns}
    out |= {"状态": "status", "新状态": "status", "编号": ledger.key, "地块编号": "parcel_id", "村代码": "village_code"}
    if ledger is RELOCATION:
        out |= {"村名": VILLAGE_NAME, "村庄": VILLAGE_NAME, "村庄名称": VILLAGE_NAME, "村": VILLAGE_NAME}
        out |= {"village": VILLAGE_NAME, VILLAGE_NAME: VILLAGE_NAME}
    return out


def _keys(ledger: Ledger, field: str | None = None) -> set[str]:
    """The headers of a ledger's ``field`` (default: its key), which name a batch's ledger."""
    return {k for k, v in _headers(ledger).items() if v == (field or ledger.key)}


def _column_letter(position: int) -> str:
    """A column's letters as a spreadsheet shows them: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _check_headers(ledger: Ledger, columns: list[Any], rows: list[Mapping[str, Any]]) -> None:
    """Refuse a batch with a header the ledger does not know, naming it as typed (a stray space shown)
    and its column's letter, with the headers it takes; an empty header over an empty column is ignored."""
    known = _headers(ledger)
    squeezed = {re.sub(r"\s+", "", name).casefold(): name for name in known}
    bad: list[tuple[str, Any, str | None]] = []
    for position, column in enumerate(columns):
        name = "" if column is None else str(column)
        if name in known or name in IGNORED_HEADERS:
            continue
        if (not name.strip() or name.startswith("Unnamed: ")) and all(_blank(r.get(column)) for r in rows):
            continue  # a column nobody wrote in: formatting, not data
        bad.append((_column_letter(position), name, squeezed.get(re.sub(r"\s+", "", name).casefold())))
    if bad:
        raise LedgerError(
            code="ledger.unknown_headers", count=len(bad), headers=Phrase(partial(_bad_headers, bad)),
            expected=Phrase(partial(_expected_headers, ledger)),
        )  # fmt: skip


def _bad_headers(bad: list[tuple[str, Any, str | None]], lang: str) -> str:
    said = []
    for letter, name, meant in bad:
        shown = t("ledger.header_blank", lang) if not name.strip() or name.startswith("Unnamed: ") else repr(name)
        said.append(t("ledger.header_meant" if meant else "ledger.header_at", lang, column=letter, header=shown,
                      meant=meant))  # fmt: skip
    return t("ledger.list_sep", lang).join(said)


def _expected_headers(ledger: Ledger, lang: str) -> str:
    fields = [ledger.key] + ([VILLAGE_NAME] if ledger is RELOCATION else []) + [
        "date", "status", "event_type", "document_ref", "note"]  # fmt: skip
    by_field: dict[str, list[str]] = {}
    for name, field in _headers(ledger).items():
        by_field.setdefault(field, []).append(name)
    return t("ledger.list_sep", lang).join("/".join(by_field[f]) for f in fields if f in by_field)


def _normalise(ledger: Ledger, row: Mapping[str, Any], *, future: bool) -> dict[str, Any]:
    names = _headers(ledger)
    row = {names.get(str(k).strip(), str(k).strip()): v for k, v in row.items()}
    by_name = _blank(row.get(ledger.key)) and not _blank(row.get(VILLAGE_NAME))
    if by_name:
        row[ledger.key] = row[VILLAGE_NAME]  # the village by its name: resolved to its code when recorded
    if _blank(row.get(ledger.key)):
        raise LedgerError(code="ledger.no_key", column=ledger.key)
    if _blank(row.get("status")):
        raise LedgerError(code="ledger.no_status")
    kind = "transition" if _blank(row.get("event_type")) else row["event_type"]
    if as_code(kind, ledger.event_types) in ("retired", "created"):  # lineage: landkit resurvey writes them
        raise LedgerError(code="lineage.recorded_by_resurvey")
    return {
        ledger.key: str(row[ledger.key]).strip(),
        "date": parse_date(row.get("date"), future=future),
        "event_type": _code(kind, ledger.event_types, "ledger.unknown_event_type"),
        "status": _code(row["status"], ledger.statuses, "ledger.unknown_status"),
        "document_ref": None if _blank(row.get("document_ref")) else str(row["document_ref"]).strip(),
        "note": None if _blank(row.get("note")) else str(row["note"]).strip(),
    } | ({} if by_name or _blank(row.get(VILLAGE_NAME)) else {VILLAGE_NAME: str(row[VILLAGE_NAME]).strip()})


def _refusal(ledger: Ledger, history: list[tuple[str, str, str]], event: Mapping[str, Any]) -> LedgerError | None:
    """Why ``event`` cannot follow ``history`` [(date, event_type, status) …], or None if it can: a
    coded :class:`LedgerError` (its ``code`` and ``fields``; ``str()`` the English, ``text(lang)``)."""
    noun, status, kind, date = _noun(ledger), event["status"], event["event_type"], event["date"]
    current = history[-1][2] if history else ledger.start
    if current is not None and current not in ledger.statuses and kind not in ("correction", "opening"):
        return LedgerError(code="ledger.refusal.unknown_current", noun=noun, current=current)
    if history and date < history[-1][0]:
        return LedgerError(code="ledger.refusal.before_last", date=date, noun=noun, last=history[-1][0])
    if kind in ("retired", "created"):  # lineage (landkit.lineage): a survey retires and creates parcels
        from .lineage import lineage_refusal

        return lineage_refusal(history, event, current)
    if kind == "opening":
        return None if not history else LedgerError(code="ledger.refusal.opening_not_first", noun=noun)
    if kind == "correction":
        return None if event.get("document_ref") else LedgerError(code="ledger.refusal.correction_without_doc")
    if kind == "revocation":
        steps = [s for _, k, s in history if k != "correction"]
        previous = steps[-2] if len(steps) >= 2 else None
        if previous is None or status != previous:
            return LedgerError(
                code="ledger.refusal.revocation", previous=_status(ledger, previous), status=_status(ledger, status)
            )
        return None
    if ledger is RELOCATION:
        order = list(ledger.statuses)
        allowed: tuple[str, ...] = (order[order.index(str(current)) + 1],) if current != order[-1] else ()
    else:
        allowed = TRANSITIONS.get(current, ())
    if status in allowed:
        return None
    nexts = Phrase(
        lambda lang: (
            t("ledger.list_sep", lang).join(_status(ledger, s).text(lang) for s in allowed)
            or t("ledger.refusal.last_status", lang, noun=noun.text(lang))
        )
    )
    return LedgerError(
        code="ledger.refusal.transition", current=_status(ledger, current), status=_status(ledger, status), nexts=nexts
    )


def replay(ledger: Ledger, events: Iterable[tuple]) -> tuple[dict[str, str], list[tuple[str, Any, LedgerError]]]:
    """Check a whole ledger, event by event; return each key's final state and every refusal.

    ``events`` are (event_id, key, date, event_type, status, document_ref) in recording order;
    they are replayed in date order. A refused event is reported and skipped: (key, event_id,
    reason), the reason a coded :class:`LedgerError` (``str(reason)`` English, ``reason.text(lang)``).
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
            raise LedgerError(code="ledger.no_layer", path=str(path), layer=table, name=LAYERS[table].label_zh)


def _as_rows(events: Any) -> list[Mapping[str, Any]]:
    if hasattr(events, "to_dict"):  # a DataFrame: its index may be the ledger's key
        frame = events.reset_index() if events.index.name else events
        return list(frame.to_dict("records"))
    if isinstance(events, Mapping):
        return [events]
    return list(events)


def _ledger_of(rows: list[Mapping[str, Any]]) -> Ledger:
    columns = list(dict.fromkeys(k for row in rows for k in row))  # as typed, in order
    names = {str(k).strip() for k in columns}
    keys = [ledger for ledger in LEDGERS if _keys(ledger) & names]
    if not keys and _keys(RELOCATION, VILLAGE_NAME) & names:
        keys = [RELOCATION]  # villages by name only (村名)
    if len(keys) > 1:
        raise LedgerError(code="ledger.both_keys")
    for ledger in keys:
        fields: dict[str, list[str]] = {}
        for name in names:
            if name in _headers(ledger):
                fields.setdefault(_headers(ledger)[name], []).append(name)
        twice = {f: cols for f, cols in fields.items() if len(cols) > 1}
        if twice:
            field, cols = next((f, sorted(c)) for f, c in twice.items())
            raise LedgerError(code="ledger.same_column_twice", columns=Phrase(partial(_columns, cols)), column=field)
        _check_headers(ledger, columns, rows)
        return ledger
    raise LedgerError(code="ledger.no_key_column")


#: the row number of a batch's first event: the spreadsheet's, whose header is row 1
FIRST_ROW = 2


def _by_name(
    writer: Any, ledger: Ledger, clean: list[tuple[int, dict[str, Any]]], errors: list[LedgerError]
) -> list[tuple[int, dict[str, Any]]]:
    """The events with each village given by its name (沈庄, 沈庄村, Shenzhuang) given by its code
    (:func:`landkit.names.resolve`); a key that is a code stays, one that names several villages
    is its row's error, as is a name beside a code that names another village (both columns
    given). Read only when some key is not a code or a name is given beside one."""
    keys = sorted({e[ledger.key] for _, e in clean})
    unknown = set(keys) - set(store.layer_features(writer, ledger, keys))
    beside = any(VILLAGE_NAME in e for _, e in clean)
    if not (unknown or beside) or "name" not in writer.columns(ledger.layer):
        return [(n, {k: v for k, v in e.items() if k != VILLAGE_NAME}) for n, e in clean]
    from .errors import DataError
    from .names import resolve

    places = [(str(k), n) for k, n in writer.rows(ledger.layer, [ledger.key, "name"]) if k is not None]
    codes, names = [k for k, _ in places], [n for _, n in places]
    out = []
    for n, event in clean:
        named = event.pop(VILLAGE_NAME, None)
        try:
            if event[ledger.key] in unknown:  # a name where the code goes
                event[ledger.key] = codes[resolve(event[ledger.key], codes, names, what="village")]
            elif named is not None and codes[resolve(named, codes, names, what="village")] != event[ledger.key]:
                raise LedgerError(code="ledger.name_not_code", name=named, key=event[ledger.key])
        except DataError as exc:
            if exc.code == "names.no_village" and named is None:  # neither a code nor a name: say which there are
                exc = LedgerError(code="ledger.no_such_village", **exc.fields)
            errors.append(LedgerError(code="ledger.row", n=n, reason=exc))
            continue
        out.append((n, event))
    return out


def record_events(path: str | os.PathLike, events: Any, *, future: bool = False) -> list[int]:
    """Append many events to a project's ledger in one transaction; return their event ids.

    ``events`` is a DataFrame or a list of dicts with ``parcel_id`` (or ``village_code`` for the
    relocation ledger), ``date``, ``status`` and optionally ``event_type``, ``document_ref`` and
    ``note``; Chinese column names and status labels (已批复 …) are accepted. Each event is
    checked against the lifecycle and against the events before it, in the file and in the
    batch (taken in date order). One bad row refuses the whole batch, with every bad row listed,
    numbered as a spreadsheet numbers it (the header is row 1, the first event row 2; a row with
    every cell blank is skipped, and counted). A header the ledger does not know (``备 注``, a
    stray space included) refuses the batch, naming it and the headers there are; ``序号`` is
    ignored. A village may be given by its code or its name (沈庄, 沈庄村, Shenzhuang: in the
    ``村代码`` column or a ``村名`` one; both given, they must name the same village).
    The layer's status column follows the ledger in the same transaction.
    """
    rows = _as_rows(events)
    if not rows:
        return []
    ledger = _ledger_of(rows)
    rows_n = [(n, row) for n, row in enumerate(rows, start=FIRST_ROW) if not all(_blank(v) for v in row.values())]
    if not rows_n:
        return []
    errors: list[LedgerError] = []
    clean: list[tuple[int, dict[str, Any]]] = []
    for n, row in rows_n:  # numbered as the spreadsheet numbers its rows; a row nobody wrote in is none
        try:
            clean.append((n, _normalise(ledger, row, future=future)))
        except LedgerError as exc:
            errors.append(LedgerError(code="ledger.row", n=n, reason=exc))
    clean.sort(key=lambda item: item[1]["date"])
    with store.writing(path) as writer:
        _require(writer, ledger, path)
        if ledger is RELOCATION:
            clean = _by_name(writer, ledger, clean, errors)
        keys = sorted({e[ledger.key] for _, e in clean})
        features: dict[str, list[tuple[int, Any]]] = {}
        features.update(store.layer_features(writer, ledger, keys))
        history = store.ledger_history(writer, ledger, keys)
        for n, event in clean:
            key = event[ledger.key]
            mine = history.setdefault(key, [])
            if key not in features:
                from .lineage import unknown_or_retired

                found = unknown_or_retired(writer, ledger, key)
                errors.append(LedgerError(code="ledger.row", n=n, reason=found))
            elif reason := _refusal(ledger, mine, event):
                said = features[key][0][1]
                if not mine and said not in (None, ledger.start) and event["event_type"] == "transition":
                    reason = LedgerError(
                        code="ledger.refused_before_opening", reason=reason, status=said, path=str(path)
                    )
                errors.append(
                    LedgerError(
                        code="ledger.row", n=n, reason=LedgerError(code="ledger.refused", key=key, reason=reason)
                    )
                )
            else:
                mine.append((event["date"], event["event_type"], event["status"]))
        if errors and len(rows_n) == 1:
            raise LedgerError(code="ledger.nothing_recorded", path=str(path), reason=errors[0].fields["reason"])
        if errors:
            listed = Phrase(
                lambda lang: (
                    "".join(f"\n  - {e.text(lang)}" for e in errors[:50])
                    + (t("ledger.and_more", lang, count=len(errors) - 50) if len(errors) > 50 else "")
                )
            )
            raise LedgerError(
                code="ledger.refused_rows", path=str(path), refused=len(errors), total=len(rows_n), rows=listed
            )
        first = _next_id(writer, ledger, path)
        out = [{"event_id": first + i, **event} for i, (_, event) in enumerate(clean)]
        if all(e["event_type"] == "transition" for e in out) and "event_type" not in writer.columns(ledger.table):
            out = [{k: v for k, v in e.items() if k != "event_type"} for e in out]
        elif "event_type" not in writer.columns(ledger.table):
            writer.add_column(ledger.table, "event_type")
        writer.insert(ledger.table, out)
        store.follow_ledger(writer, ledger, features, history)
        dated = {e[ledger.key]: e for e in out if e.get("event_type", "transition") in ("transition", "revocation")}
        follow_dates(writer, ledger, dated, history, path)  # an opening or a correction knows no day: not dated
    return [e["event_id"] for e in out]


#: The parcel's date column each transition sets, with the event's date, in the event's transaction
#: (started_on, the buyer's start of works, is no ledger status: it stays the layer's own).
DATE_COLUMNS: dict[str, str] = {
    "acquired": "acquired_on",
    "approved": "approved_on",
    "transferred": "supplied_on",
    "allocated": "supplied_on",
}


def standing_dates(history: Iterable[tuple[str, str, str]]) -> dict[str, str | None]:
    """Status -> the day the lifecycle reached it, for the steps that still stand after ``history``
    [(date, event_type, status) …]: a revoked step is gone, a step reached by an opening balance or
    a correction has no known day (None), a status past the one the parcel is at is not reached.

    Examples
    --------
    >>> standing_dates([("2026-01-05", "transition", "acquiring"), ("2026-03-26", "transition", "acquired")])
    {'acquiring': '2026-01-05', 'acquired': '2026-03-26'}
    >>> standing_dates([("2026-01-05", "opening", "acquired"), ("2026-02-01", "transition", "submitted"),
    ...                 ("2026-02-03", "revocation", "acquired")])
    {'acquired': None}
    """
    stack: list[tuple[str, str | None]] = []
    for date, kind, status in history:
        if kind == "revocation" and stack:
            stack.pop()
        if kind != "revocation" or not stack or stack[-1][0] != status:
            stack.append((status, date if kind == "transition" else None))
    order = list(RESERVE.statuses)

    def rank(status: str) -> int:
        return order.index(status) if status in order else -1

    final = stack[-1][0] if stack else None
    return {s: d for s, d in stack if s == final or rank(s) < rank(str(final))}


def follow_dates(writer: Any, ledger: Ledger, recorded: Mapping[str, Any], history: Mapping, path: Any) -> None:
    """Set the parcels' date columns (acquired_on …) of the keys just recorded to the days their
    standing transitions give (:func:`standing_dates`); a column a revoked step had set is cleared.
    A column the layer lacks is added (a GeoPackage DATE, a PostgreSQL date) when a day is to go in it.
    Only the reserve's ledger has such dates: on the others, nothing to do."""
    if ledger is not RESERVE or not recorded:
        return
    import datetime as _dt

    keys = sorted({str(k) for k in recorded})
    revoked = {str(k) for k, e in recorded.items() if e.get("event_type") == "revocation"}
    wanted: dict[str, dict[str, str | None]] = {}
    for key in keys:
        days = standing_dates(history.get(key, []))
        for column in dict.fromkeys(DATE_COLUMNS.values()):
            reached = [days[s] for s, c in DATE_COLUMNS.items() if c == column and s in days]
            if reached and reached[-1] is not None:
                wanted.setdefault(column, {})[key] = reached[-1]
            elif not reached and key in revoked:
                wanted.setdefault(column, {})[key] = None
    if not wanted:
        return
    have = writer.columns(ledger.layer)
    for column, values in wanted.items():
        if column not in have:
            if all(v is None for v in values.values()):
                continue
            writer.add_column(ledger.layer, column, "DATE")
        rows = writer.rows(ledger.layer, ["rowid", ledger.key, column], ledger.key, list(values))
        changes = {
            rowid: None if (day := values[str(key)]) is None else _dt.date.fromisoformat(day)
            for rowid, key, now in rows
            if (None if now is None else str(now)[:10]) != values[str(key)]
        }
        writer.update(ledger.layer, column, changes)


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
        raise LedgerError(code="ledger.event_id_text", path=str(path), table=ledger.table, value=last) from None


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
            unknown: list[tuple[str, Any]] = []
            for key, rows in features.items():
                for _, said in rows:
                    code = labels.get(said, said)
                    if key in history:
                        if said != history[key][-1][2]:
                            change = {"change": "status", "from": said, "to": history[key][-1][2]}
                            changes.append({"layer": ledger.layer, "id": key, **change})
                    elif said is not None and code not in ledger.statuses:
                        unknown.append((key, said))
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
                shown = Phrase(partial(_key_said, unknown[:5]))
                raise LedgerError(
                    code="ledger.sync_unknown",
                    path=str(path),
                    count=len(unknown),
                    noun=_noun(ledger),
                    column=ledger.status_column,
                    found=shown,
                    statuses=Phrase(partial(_statuses, ledger)),
                )
            if openings and day is None:
                raise LedgerError(
                    code="ledger.sync_needs_as_of", path=str(path), count=len(openings), noun=_noun(ledger)
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
            moved = {c["id"]: {"event_type": history[c["id"]][-1][1]} for c in changes
                     if c["layer"] == ledger.layer and c["change"] == "status"}  # fmt: skip
            follow_dates(writer, ledger, moved, history, path)  # as `record` sets them
    return changes
