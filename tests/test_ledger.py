"""The two ledgers (landkit.ledger): dates, the lifecycles, recording in batches and sync, with the
expected states and messages written out here from the lifecycle rules."""

import datetime as dt
import sqlite3

import pandas as pd
import pytest

import landkit
from landkit import ledger
from landkit.errors import LedgerError
from landkit.ledger import RELOCATION, RESERVE, parse_date
from landkit.store.gpkg import transaction

TODAY = dt.date(2026, 11, 28)
FORMS = "2026-11-27, `2026年11月27日`, 2026/11/27 or 2026.11.27"


def replay(which, events):
    """The ledger's replay with each refusal's reason as its English text (scripts read ``str``)."""
    states, refused = ledger.replay(which, events)
    return states, [(key, event_id, str(reason)) for key, event_id, reason in refused]


def refusal(history, event):
    reason = ledger._refusal(RESERVE, history, event)
    return None if reason is None else str(reason)


# -- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-03", "2026年11月3日", "2026 年 11 月 3 日", "2026/11/3", "2026.11.03", " 2026-11-03 ",
        "2026-11-03T00:00:00Z", "2026-11-03 00:00", "2026-11-03T00:00:00.000", "2026/11/03 00:00:00",
        dt.date(2026, 11, 3), dt.datetime(2026, 11, 3, 15, 30), pd.Timestamp("2026-11-03"),
    ],
)  # fmt: skip
def test_every_written_form_of_a_date_is_the_same_day(value):
    assert parse_date(value, today=TODAY) == "2026-11-03"


@pytest.mark.parametrize("value", [None, float("nan"), "", "   ", "NaT", "nan", pd.NaT])
def test_an_empty_date_is_refused(value):
    with pytest.raises(LedgerError, match=rf"^the date is empty; write it as {FORMS}$"):
        parse_date(value, today=TODAY)


@pytest.mark.parametrize("value", ["27/11/2026", "3-11-26", "03.11.2026"])
def test_a_day_first_date_is_ambiguous(value):
    with pytest.raises(LedgerError) as refused:
        parse_date(value, today=TODAY)
    assert str(refused.value) == (
        f"the date {value!r} is ambiguous (day and month could be either way round); write it year first, "
        "e.g. 2026-11-03"
    )


@pytest.mark.parametrize("value", ["tomorrow", "2026-11", "2026-11-03 12:00", "20261103"])
def test_what_is_not_a_date_is_refused(value):
    with pytest.raises(LedgerError) as refused:
        parse_date(value, today=TODAY)
    assert str(refused.value) == f"{value!r} is not a date; write it as {FORMS}"


@pytest.mark.parametrize("value", ["2026-02-29", "2026-13-01", "2026-04-31"])
def test_a_day_the_calendar_does_not_have_is_refused(value):
    with pytest.raises(LedgerError) as refused:
        parse_date(value, today=TODAY)
    assert str(refused.value) == f"{value!r} is not a date of the calendar; check the month and the day"


def test_a_date_more_than_a_year_ahead_needs_future():
    assert parse_date("2027-11-29", today=TODAY) == "2027-11-29"  # 366 days ahead: still allowed
    with pytest.raises(LedgerError) as refused:
        parse_date("2027-11-30", today=TODAY)  # 367 days
    assert str(refused.value) == (
        "the date 2027-11-30 is more than a year ahead; check the year (or pass --future / future=True for a planned "
        "date)"
    )
    assert parse_date("2027-11-30", today=TODAY, future=True) == "2027-11-30"
    ahead = dt.date.today() + dt.timedelta(days=367)  # without today=, the clock's today
    with pytest.raises(LedgerError, match="more than a year ahead"):
        parse_date(ahead)
    assert (
        parse_date(dt.date.today() + dt.timedelta(days=366)) == (dt.date.today() + dt.timedelta(days=366)).isoformat()
    )


# -- the lifecycles, replayed -------------------------------------------------------------------


def test_a_parcel_walks_its_lifecycle_in_date_order_whatever_the_recording_order():
    events = [
        (3, "P1", "2026-03-01", "transition", "acquired", None),
        (1, "P1", "2026-01-01", None, "planned", None),  # no event type: a transition
        (2, "P1", "2026-02-01 00:00:00", "transition", "acquiring", None),
        (4, "P2", "2026-01-05", "transition", "planned", None),
    ]
    states, refused = replay(RESERVE, events)
    assert states == {"P1": "acquired", "P2": "planned"} and refused == []


def test_the_reserve_lifecycle_allows_only_the_next_steps():
    path = ["planned", "acquiring", "acquired", "submitted", "approved", "reserved", "developing", "transferred"]
    events = [(k, "P", f"2026-01-{k + 1:02d}", "transition", s, None) for k, s in enumerate(path)]
    assert replay(RESERVE, events) == ({"P": "transferred"}, [])
    _, refused = replay(RESERVE, [*events, (99, "P", "2026-02-01", "transition", "allocated", None)])
    assert refused == [
        ("P", 99, "transferred -> allocated is not allowed; next can be: none (the parcel has reached its last status)")
    ]
    _, refused = replay(RESERVE, [(1, "Q", "2026-01-01", "transition", "acquiring", None)])
    assert refused == [("Q", 1, "no status -> acquiring is not allowed; next can be: planned")]
    _, refused = replay(RESERVE, [*events[:6], (7, "P", "2026-01-30", "transition", "submitted", None)])
    assert refused == [
        ("P", 7, "reserved -> submitted is not allowed; next can be: developing, transferred, allocated")
    ]


def test_an_event_dated_before_the_last_one_is_refused_and_skipped():
    events = [
        (1, "P", "2026-01-01", "transition", "planned", None),
        (2, "P", "2026-01-10", "transition", "acquiring", None),
        (3, "P", "2026-01-10", "transition", "acquired", None),  # the same day is not before
    ]
    assert replay(RESERVE, events) == ({"P": "acquired"}, [])
    history = [("2026-01-01", "transition", "planned"), ("2026-01-10", "transition", "acquiring")]
    event = {"date": "2026-01-09", "event_type": "transition", "status": "acquired", "document_ref": None}
    assert refusal(history, event) == (
        "the event is dated 2026-01-09, before the parcel's last event (2026-01-10); events are appended in "
        "date order: record a correction dated today instead"
    )


def test_revocation_returns_to_the_status_before_the_last_one_not_counting_corrections():
    base = [
        (1, "P", "2026-01-01", "transition", "planned", None),
        (2, "P", "2026-01-02", "transition", "acquiring", None),
        (3, "P", "2026-01-03", "correction", "acquiring", "豫政〔2026〕1号"),
    ]
    states, refused = replay(RESERVE, [*base, (4, "P", "2026-01-04", "revocation", "planned", None)])
    assert states == {"P": "planned"} and refused == []
    _, refused = replay(RESERVE, [*base, (4, "P", "2026-01-04", "revocation", "acquired", None)])
    assert refused == [("P", 4, "a revocation returns to the status before the last one (planned), not acquired")]
    _, refused = replay(RESERVE, [base[0], (2, "P", "2026-01-02", "revocation", "planned", None)])
    assert refused == [("P", 2, "a revocation returns to the status before the last one (no status), not planned")]


def test_a_correction_needs_its_document_and_an_opening_balance_comes_first():
    states, refused = replay(
        RESERVE,
        [
            (1, "P", "2026-01-01", "opening", "reserved", None),  # the history starts from the layer
            (2, "P", "2026-01-02", "correction", "approved", None),
            (3, "P", "2026-01-03", "correction", "submitted", "豫政〔2026〕2号"),
            (4, "P", "2026-01-04", "opening", "planned", None),
        ],
    )
    assert states == {"P": "submitted"}
    assert refused == [
        ("P", 2, "a correction needs the document_ref (`文号`) that orders it"),
        ("P", 4, "an opening balance can only be a parcel's first event"),
    ]


def test_after_an_unknown_status_only_a_correction_or_an_opening_is_accepted():
    history = [("2026-01-01", "transition", "sold")]
    event = {"date": "2026-01-02", "event_type": "transition", "status": "acquiring", "document_ref": None}
    assert refusal(history, event) == (
        "the parcel's last recorded status 'sold' is no known status; record a correction (with the document that "
        "orders it) to a known status first"
    )
    fix = {**event, "event_type": "correction", "document_ref": "豫政〔2026〕3号"}
    assert refusal(history, fix) is None


def test_a_village_moves_one_step_at_a_time_from_planned():
    steps = ["agreement_signed", "moved", "demolished"]
    events = [(k, "V", f"2026-0{k + 1}-01", "transition", s, None) for k, s in enumerate(steps)]
    assert replay(RELOCATION, events) == ({"V": "demolished"}, [])
    _, refused = replay(RELOCATION, [(1, "W", "2026-01-01", "transition", "moved", None)])
    assert refused == [("W", 1, "planned -> moved is not allowed; next can be: agreement_signed")]
    _, refused = replay(RELOCATION, [*events, (9, "V", "2026-09-01", "transition", "planned", None)])
    assert refused == [
        ("V", 9, "demolished -> planned is not allowed; next can be: none (the village has reached its last status)")
    ]


# -- recording into a project -----------------------------------------------------------------


def _status(path, layer, key, column):
    with sqlite3.connect(path) as db:
        id_column = "parcel_id" if layer == "parcels" else "village_code"
        return db.execute(f"SELECT {column} FROM {layer} WHERE {id_column} = ?", (key,)).fetchone()[0]


def _events(path):
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT event_id, parcel_id, date, event_type, status, document_ref, note FROM events")
        return [(i, p, d[:10], *rest) for i, p, d, *rest in rows]


def _moves(path):
    with sqlite3.connect(path) as db:  # the relocation ledger has no event_type column (transitions only)
        rows = db.execute("SELECT event_id, village_code, date, status, document_ref, note FROM relocation_events")
        return [(i, v, d[:10], *rest) for i, v, d, *rest in rows]


def test_a_batch_in_chinese_is_recorded_in_date_order_and_the_layer_follows(sample_copy):
    before = _events(sample_copy)
    last = max(e[0] for e in before)
    batch = pd.DataFrame(
        {
            "地块编号": ["CB00711", " CB00003 ", "CB00711"],
            "日期": ["2026年11月20日", "2026-11-18", "2026/11/19"],
            "新状态": ["已出让", "acquiring", "developing"],
            "文号": [None, "NaT", "豫土〔2026〕7号 "],
            "备注": ["sold", "nan", "  "],
        }
    )
    ids = ledger.record_events(sample_copy, batch)
    assert ids == [last + 1, last + 2, last + 3]
    added = _events(sample_copy)[len(before) :]
    assert [e[1:] for e in added] == [
        ("CB00003", "2026-11-18", "transition", "acquiring", None, None),
        ("CB00711", "2026-11-19", "transition", "developing", "豫土〔2026〕7号", None),
        ("CB00711", "2026-11-20", "transition", "transferred", None, "sold"),
    ]
    assert _status(sample_copy, "parcels", "CB00711", "status") == "transferred"
    assert _status(sample_copy, "parcels", "CB00003", "status") == "acquiring"


def test_record_event_returns_the_row_and_a_village_its_next_step(sample_copy):
    row = ledger.record_event(sample_copy, "CB00003", "acquiring", "2026年11月20日", note="征收启动")
    assert row == {
        "event_id": max(e[0] for e in _events(sample_copy)),
        "parcel_id": "CB00003",
        "date": "2026-11-20",
        "status": "acquiring",
        "event_type": "transition",
        "document_ref": None,
        "note": "征收启动",
    }
    village = ledger.record_relocation_event(
        sample_copy, "410423101011", "已签协议", "2026年11月21日", document_ref="协议1"
    )
    assert village["event_id"] == 19 and village["date"] == "2026-11-21" and village["status"] == "已签协议"
    assert _moves(sample_copy)[-1] == (19, "410423101011", "2026-11-21", "agreement_signed", "协议1", None)
    (moved,) = ledger.record_events(
        sample_copy, [{"村代码": "410423101011", "日期": "2026-11-22", "搬迁状态": "已搬迁"}]
    )
    assert moved == 20 and _moves(sample_copy)[-1] == (20, "410423101011", "2026-11-22", "moved", None, None)
    assert _status(sample_copy, "villages", "410423101011", "relocation_status") == "moved"


def test_a_date_more_than_a_year_ahead_is_recorded_only_as_planned(sample_copy):
    ahead = dt.date.today() + dt.timedelta(days=400)
    written = f"{ahead.year}年{ahead.month}月{ahead.day}日"
    row = {"parcel_id": "CB00003", "date": written, "status": "acquiring"}
    for record in (
        lambda **kw: ledger.record_events(sample_copy, [row], **kw),
        lambda **kw: ledger.record_event(sample_copy, "CB00003", "acquiring", written, **kw),
        lambda **kw: ledger.record_relocation_event(sample_copy, "410423101011", "agreement_signed", written, **kw),
    ):
        with pytest.raises(LedgerError, match="more than a year ahead"):
            record()
    assert ledger.record_event(sample_copy, "CB00003", "acquiring", written, future=True)["date"] == ahead.isoformat()
    village = ledger.record_relocation_event(sample_copy, "410423101011", "agreement_signed", written, future=True)
    assert village["date"] == ahead.isoformat()
    (event_id,) = ledger.record_events(sample_copy, [{**row, "status": "acquired"}], future=True)
    assert _events(sample_copy)[-1] == (event_id, "CB00003", ahead.isoformat(), "transition", "acquired", None, None)


def test_nothing_is_recorded_when_nothing_is_given(sample_copy):
    before = sample_copy.read_bytes()
    assert ledger.record_events(sample_copy, []) == []
    assert ledger.record_events(sample_copy, pd.DataFrame(columns=["parcel_id", "date", "status"])) == []
    assert sample_copy.read_bytes() == before


def test_a_frame_indexed_by_parcel_and_a_single_mapping_are_events_too(sample_copy):
    frame = pd.DataFrame(
        {"date": ["2026-11-20"], "status": ["acquiring"]}, index=pd.Index(["CB00003"], name="parcel_id")
    )
    (first,) = ledger.record_events(sample_copy, frame)
    (second,) = ledger.record_events(sample_copy, {"parcel_id": "CB00003", "date": "2026-11-21", "status": "acquired"})
    assert second == first + 1
    assert _status(sample_copy, "parcels", "CB00003", "status") == "acquired"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"parcel_id": "CB00003", "village_code": "410423101011", "date": "2026-11-20", "status": "acquiring"}],
         "the events name both parcels (`地块编号`/parcel_id) and villages (`村代码`/village_code); record them apart"),
        ([{"parcel_id": "CB00003", "date": "2026-11-20", "status": "acquiring", "状态": "acquiring"}],
         "the columns `status` and `状态` both give status; keep one of them"),
        ([{"id": "CB00003", "date": "2026-11-20", "status": "acquiring"}],
         "the events name no parcel_id (`地块编号`) or village_code (`村代码`) column; add one"),
    ],
)  # fmt: skip
def test_a_batch_whose_columns_are_ambiguous_is_refused(sample_copy, rows, message):
    with pytest.raises(LedgerError) as refused:
        ledger.record_events(sample_copy, rows)
    assert str(refused.value) == message


def test_one_bad_row_refuses_the_batch_and_every_bad_row_is_listed(sample_copy):
    before = sample_copy.read_bytes()
    rows = [
        {"parcel_id": "CB00003", "date": "2026-11-20", "status": "acquiring"},
        {"parcel_id": "", "date": "2026-11-20", "status": "acquiring"},
        {"parcel_id": "CB00003", "date": "2026-11-20", "status": " "},
        {"parcel_id": "NOPE", "date": "2026-11-20", "status": "acquiring"},
        {"parcel_id": "CB00711", "date": "2026-11-20", "status": "planned"},
        {"parcel_id": "CB00711", "date": "2026-11-20", "status": "sold"},
        {"parcel_id": "CB00711", "date": "2026-11-20", "status": "developing", "event_type": "edit"},
    ]
    with pytest.raises(LedgerError) as refused:
        ledger.record_events(sample_copy, rows)
    assert str(refused.value) == (
        f"{sample_copy}: 6 of 7 event(s) refused; nothing was recorded:\n"
        "  - row 3: no parcel_id\n"  # numbered as a spreadsheet: the header is row 1
        "  - row 4: no status\n"
        "  - row 7: unknown status 'sold'; use one of planned (`规划储备`), acquiring (`征收中`), acquired (`已征收`), "
        "submitted (`已报批`), approved (`已批复`), reserved (`已入库`), developing (`前期开发`), "
        "transferred (`已出让`), allocated (`已划拨`)\n"
        "  - row 8: unknown event type 'edit'; use one of transition (`状态变更`), revocation (`撤销`), "
        "correction (`更正`), opening (`期初`), retired (`注销`), created (`新设`)\n"
        "  - row 5: parcel 'NOPE' is not in the project's parcels; check the id\n"
        "  - row 6: CB00711: reserved -> planned is not allowed; next can be: developing, transferred, allocated"
    )
    assert sample_copy.read_bytes() == before


def test_more_than_fifty_bad_rows_are_counted_not_listed(sample_copy):
    rows = [{"parcel_id": f"NOPE{k:02d}", "date": "2026-11-20", "status": "acquiring"} for k in range(53)]
    with pytest.raises(LedgerError) as refused:
        ledger.record_events(sample_copy, rows)
    lines = str(refused.value).split("\n")
    assert lines[0] == f"{sample_copy}: 53 of 53 event(s) refused; nothing was recorded:"
    assert len(lines) == 52 and lines[50] == "  - row 51: parcel 'NOPE49' is not in the project's parcels; check the id"
    assert lines[51] == "  … and 3 more"


def test_a_single_refused_event_says_why_without_its_row_number(sample_copy):
    with pytest.raises(LedgerError) as refused:
        ledger.record_event(sample_copy, "CB00711", "planned", "2026-11-20")
    assert str(refused.value) == (
        f"{sample_copy}: CB00711: reserved -> planned is not allowed; next can be: developing, transferred, allocated; "
        "nothing was recorded"
    )


def _forget_events(path, parcel, status):
    """A parcel whose layer says ``status`` but whose ledger has no event (a project imported with statuses)."""
    with transaction(path) as db:  # the GeoPackage's triggers need its ST_ functions
        db.execute("DELETE FROM events WHERE parcel_id = ?", (parcel,))
        db.execute("UPDATE parcels SET status = ? WHERE parcel_id = ?", (status, parcel))


def test_a_transition_for_a_parcel_the_layer_gives_a_status_without_events_says_how_to_open_it(sample_copy):
    _forget_events(sample_copy, "CB00711", "reserved")
    with pytest.raises(LedgerError) as refused:
        ledger.record_event(sample_copy, "CB00711", "developing", "2026-11-20")
    assert str(refused.value) == (
        f"{sample_copy}: CB00711: no status -> developing is not allowed; next can be: planned (it has no events "
        "yet and its layer says `reserved`: record that first with event type opening, or run "
        f"`landkit sync {sample_copy} --apply --as-of DATE`); nothing was recorded"
    )
    ledger.record_event(sample_copy, "CB00711", "reserved", "2026-11-19", event_type="opening")
    ledger.record_event(sample_copy, "CB00711", "developing", "2026-11-20")
    assert _status(sample_copy, "parcels", "CB00711", "status") == "developing"


def test_sync_lists_what_the_layers_should_say_and_applies_it(sample_copy):
    assert ledger.sync(sample_copy) == []
    with transaction(sample_copy) as db:
        db.execute("UPDATE parcels SET status = 'approved' WHERE parcel_id = 'CB00711'")  # the ledger says reserved
        db.execute("UPDATE villages SET relocation_status = 'moved' WHERE village_code = '410423101003'")
    _forget_events(sample_copy, "CB00003", "已批复")  # a Chinese label, no event
    _forget_events(sample_copy, "CB01123", "planned")
    expected = [
        {"layer": "parcels", "id": "CB00711", "change": "status", "from": "approved", "to": "reserved"},
        {"layer": "events", "id": "CB00003", "change": "opening", "from": None, "to": "approved"},
        {"layer": "events", "id": "CB01123", "change": "opening", "from": None, "to": "planned"},
        {"layer": "villages", "id": "410423101003", "change": "status", "from": "moved", "to": "demolished"},
    ]
    changes = ledger.sync(sample_copy)
    key = lambda c: (c["layer"], c["id"])  # noqa: E731
    assert sorted(changes, key=key) == sorted(expected, key=key)
    assert _status(sample_copy, "parcels", "CB00711", "status") == "approved"  # not written without apply
    with pytest.raises(LedgerError) as refused:
        ledger.sync(sample_copy, apply=True)
    assert str(refused.value) == (
        f"{sample_copy}: 2 parcel(s) have a status but no event; give the date of their opening balance with "
        "--as-of DATE (as_of=)"
    )
    last = max(e[0] for e in _events(sample_copy))
    assert sorted(ledger.sync(sample_copy, apply=True, as_of="2026年11月1日"), key=key) == sorted(expected, key=key)
    note = "期初 opening balance from the layer (landkit sync)"
    assert sorted(_events(sample_copy)[-2:]) == [
        (last + 1, "CB00003", "2026-11-01", "opening", "approved", None, note),
        (last + 2, "CB01123", "2026-11-01", "opening", "planned", None, note),
    ]
    assert _status(sample_copy, "parcels", "CB00711", "status") == "reserved"
    assert _status(sample_copy, "parcels", "CB00003", "status") == "approved"  # its code, no longer the label
    assert _status(sample_copy, "villages", "410423101003", "relocation_status") == "demolished"
    assert ledger.sync(sample_copy) == []


def test_sync_refuses_a_status_that_is_no_status(sample_copy):
    _forget_events(sample_copy, "CB00003", "sold")
    changes = ledger.sync(sample_copy)
    assert changes == [{"layer": "parcels", "id": "CB00003", "change": "unknown", "from": "sold", "to": None}]
    with pytest.raises(LedgerError) as refused:
        ledger.sync(sample_copy, apply=True, as_of="2026-11-01")
    assert str(refused.value) == (
        f"{sample_copy}: 1 parcel(s) have a status that is no known status: CB00003 (`sold`); use one of "
        "planned, acquiring, acquired, submitted, approved, reserved, developing, transferred, allocated "
        "(or their Chinese names), then sync again"
    )


def test_event_ids_that_are_text_are_refused_with_how_to_renumber(sample_copy):
    with transaction(sample_copy) as db:
        db.execute("UPDATE events SET event_id = 'E-9' WHERE event_id = (SELECT MAX(event_id) FROM events)")
    with pytest.raises(LedgerError, match=r"events\.event_id holds text \('E-9'\); event ids are sequence numbers"):
        ledger.record_event(sample_copy, "CB00003", "acquiring", "2026-11-20")


def test_the_reserve_lifecycle_is_the_one_the_readme_documents():
    """The transitions the ledger allows are the README's table (from | to), row for row."""
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("| from | to |\n| --- | --- |\n", 1)[1].split("\n\n", 1)[0].strip().splitlines()
    documented = {}
    for row in table:
        before, after = (cell.strip() for cell in row.strip("|").split("|"))
        documented[None if before == "(none)" else before] = tuple(a.strip() for a in after.split(","))
    allowed = {k: v for k, v in landkit.ledger.TRANSITIONS.items() if v}
    assert allowed == documented
    assert set(landkit.ledger.TRANSITIONS) - set(documented) == {"transferred", "allocated"}  # the ends
