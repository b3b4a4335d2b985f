"""Payments recorded, not assumed; dates set by the ledger; money exact to the fen (landkit pay, money, changes).

Every golden figure here is worked out in the test with Decimal arithmetic from the project's own
inputs (stated mu, the rates, the zone a parcel lies in), never read back from landkit's output.
"""

import datetime as dt
import json
import sqlite3
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from click.testing import CliRunner

import landkit
from landkit import money
from landkit.cli import main
from landkit.errors import DataError, LedgerError
from landkit.payments import parse_yuan, record_payments

from .pg import PASSWORD

FEN = Decimal("0.01")


def run(*args, lang="en"):
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": lang})


# -- amounts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, fen",
    [
        ("4.6万", 4_600_000),  # 46,000.00 元
        ("4.6 万元", 4_600_000),
        ("46,000", 4_600_000),
        ("46000.00", 4_600_000),
        ("1,234.5", 123_450),
        ("1，234.5", 123_450),  # a full-width comma, as Chinese input methods type it
        ("1.2亿", 12_000_000_000),
        ("￥3,000元", 300_000),
        ("0.01", 1),  # a fen: the finest amount
        ("1.234567万", 1_234_567),  # 12,345.67 元, exact
        ("-600", -60_000),
        (46000.0, 4_600_000),  # a number from a spreadsheet
        (1234.5, 123_450),
        (7, 700),
    ],
)
def test_an_amount_is_read_in_fen_as_a_planner_writes_it(written, fen):
    assert parse_yuan(written) == fen


@pytest.mark.parametrize(
    "written, code",
    [
        ("0.001", "pay.below_fen"),  # just below a fen
        ("1.2345678万", "pay.below_fen"),  # 12,345.678 元
        ("1,23", "pay.not_an_amount"),  # a misplaced separator: 123 or 1.23?
        ("12,3456", "pay.not_an_amount"),
        ("4.6万万", "pay.not_an_amount"),
        ("四万六", "pay.not_an_amount"),
        ("", "pay.amount_empty"),
        (float("nan"), "pay.amount_empty"),
        (float("inf"), "pay.not_an_amount"),
    ],
)
def test_what_is_no_amount_to_the_fen_is_refused(written, code):
    with pytest.raises(LedgerError) as caught:
        parse_yuan(written)
    assert caught.value.code == code


# -- the golden figure, from the inputs ------------------------------------------------------------


def _expected_fen(layers, pid) -> int:
    """The parcel's compensation worked out by hand: its stated mu to 0.01 (half up) times each
    kind's rates (its zone's and everywhere's), each kind rounded half up to the fen, summed."""
    parcels, rates, zones = layers["parcels"], layers["compensation_rates"], layers["price_zones"]
    shape = parcels.geometry[pid]
    (zone,) = [code for code, g in zones.geometry.items() if shape.within(g)]
    mu = Decimal(str(parcels.at[pid, "stated_area_mu"])).quantize(FEN, ROUND_HALF_UP)
    per_mu = rates[rates["kind"] != "relocation"]
    total = Decimal(0)
    for _, group in per_mu.groupby("kind"):
        rate = sum(
            (Decimal(str(r)) for r, where in zip(group["yuan_per_mu"], group["applies_to"], strict=True)
             if where in (None, "", zone) or where != where),
            Decimal(0),
        )  # fmt: skip
        total += (mu * rate).quantize(FEN, ROUND_HALF_UP)
    return int(total * 100)


def _money(project, *extra):
    done = run("money", project, "--as-of", "2026-11-30", "--format", "json", *extra)
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def _fen(value) -> int:
    return int(Decimal(str(value)) * 100)


def _acquiring_cash_parcel(layers):
    parcels, zones = layers["parcels"], layers["price_zones"]
    inside = parcels.within(zones.geometry.iloc[0]) | parcels.within(zones.geometry.iloc[1])
    mine = parcels[(parcels["status"] == "acquiring") & (parcels["compensation"] == "cash") & inside]
    return mine.index[0]


def test_an_acquisition_and_a_payment_move_money_by_the_exact_amounts(project_url_or_path, monkeypatch):
    """The done-when line: record an acquisition and a payment; `money` moves by exactly those amounts."""
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    project = project_url_or_path
    layers = landkit.read_project(project)
    pid = _acquiring_cash_parcel(layers)
    village = layers["parcels"].at[pid, "village_code"]
    due = _expected_fen(layers, pid)
    assert due > 0
    before = _money(project)
    assert run("record", project, pid, "acquired", "--date", "2026-11-26").exit_code == 0
    paid = run(
        "pay", project, village, "4.6万", "--date", "2026-11-27", "--kind", "土地补偿费", "--doc", "鲁财〔2026〕1号"
    )
    assert paid.exit_code == 0, paid.output
    assert "46,000.00" in paid.output  # 4.6万 is 46,000.00 元
    after = _money(project)
    rows = {"before": {r["key"]: r for r in before["rows"]}, "after": {r["key"]: r for r in after["rows"]}}
    was = rows["before"].get(village, {"due_yuan": 0, "paid_yuan": 0, "owed_yuan": 0, "overdue_yuan": 0})
    now = rows["after"][village]
    assert _fen(now["due_yuan"]) - _fen(was["due_yuan"]) == due
    assert _fen(now["paid_yuan"]) - _fen(was["paid_yuan"]) == 4_600_000
    assert _fen(now["owed_yuan"]) - _fen(was["owed_yuan"]) == due - 4_600_000
    assert now["overdue_yuan"] == was["overdue_yuan"]  # due 4 days ago: not overdue yet
    for key in ("due_yuan", "paid_yuan", "owed_yuan"):
        moved = _fen(after["total"][key]) - _fen(before["total"][key])
        assert moved == {"due_yuan": due, "paid_yuan": 4_600_000, "owed_yuan": due - 4_600_000}[key]
        assert sum(_fen(r[key]) for r in after["rows"]) == _fen(after["total"][key])  # 合计 is the rows' sum
    # the ledger set the acquisition date, which is what put the parcel's compensation in 应付
    assert landkit.read_layer(project, "parcels").at[pid, "acquired_on"] == pd.Timestamp("2026-11-26")
    # a day before the payment, it is not paid yet; by kind, it is land compensation
    earlier = _money(project, "--as-of", "2026-11-26")
    assert _fen(earlier["total"]["paid_yuan"]) == 0
    by_kind = {r["key"]: r for r in _money(project, "--by", "kind")["rows"]}
    assert _fen(by_kind["land"]["paid_yuan"]) == 4_600_000


def test_staged_compensation_falls_due_in_exact_shares_that_add_up_to_the_fen():
    parcels = pd.DataFrame(
        {"stated_area_mu": [1.0], "compensation": ["staged"], "acquired_on": [pd.Timestamp("2024-03-01")],
         "village_code": ["V"]},
        index=pd.Index(["p"], name="parcel_id"),
    )  # fmt: skip
    rates = pd.DataFrame({"kind": ["land"], "yuan_per_mu": [1000.05], "applies_to": [None]})
    out = money.instalments_fen(parcels, rates)
    # 1000.05 元 = 100005 fen: 40 % = 40002 fen (40002.0), 30 % = 30001.5 → 30002 (half up), the last the rest
    assert out["fen"].tolist() == [40_002, 30_002, 30_001]
    assert out["due_on"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-01", "2025-03-01", "2026-03-01"]
    layers = {"parcels": parcels, "compensation_rates": rates}
    table = money.money_owed(layers, as_of="2025-03-01", by="month")
    assert table.loc["合计", "due_fen"] == 40_002 + 30_002
    # overdue after 90 days: on 2024-05-30 (90 days on) the first instalment is overdue, a day before it is not
    assert money.money_owed(layers, as_of="2024-05-30").loc["合计", "overdue_fen"] == 40_002
    assert money.money_owed(layers, as_of="2024-05-29").loc["合计", "overdue_fen"] == 0


# -- corrections and batches -------------------------------------------------------------------------


def test_a_negative_amount_is_only_a_correction_and_never_below_nothing(sample_copy):
    first = run("pay", sample_copy, "大王庄", "46,000", "--date", "2026-11-25", "--kind", "land")
    assert first.exit_code == 0, first.output
    bare = run("pay", sample_copy, "--date", "2026-11-26", "--", "大王庄", "-600")
    assert bare.exit_code == 2 and "correction" in bare.output and "Traceback" not in bare.output
    fixed = run("pay", sample_copy, "--date", "2026-11-26", "--correct", "1", "--", "大王庄村", "-600")
    assert fixed.exit_code == 0, fixed.output
    too_much = run("pay", sample_copy, "--date", "2026-11-26", "--correct", "1", "--", "大王庄", "-45,400.01")
    assert too_much.exit_code == 2 and "below 0" in too_much.output
    exactly = record_payments(sample_copy, [{"corrects": 1, "amount": "-45,400", "date": "2026-11-27"}])
    assert exactly == [3]
    elsewhere = run("pay", sample_copy, "--date", "2026-11-26", "--correct", "1", "--", "军王村", "10")
    assert elsewhere.exit_code == 2 and "same village" in elsewhere.output
    paid = landkit.read_layer(sample_copy, "payments")
    assert paid["amount_fen"].tolist() == [4_600_000, -60_000, -4_540_000]
    assert paid["kind"].tolist() == ["land"] * 3  # a correction is of its payment's kind
    assert paid["village_code"].nunique() == 1
    by_village = money.money_owed(landkit.read_project(sample_copy), as_of="2026-11-30")
    assert by_village.loc["410423101001", "paid_fen"] == 0  # paid, then taken back to the fen


def test_a_batch_of_payments_is_all_or_nothing_and_names_the_spreadsheet_row(sample_copy, tmp_path):
    good = pd.DataFrame(
        {"村": ["大王庄村", "410423101002"], "金额": ["4.6万", "1,234.50"], "日期": ["2026-11-20", "2026年11月21日"],
         "款项": ["青苗费", "社保"], "凭证号": ["A1", "A2"]}
    )  # fmt: skip
    bad = pd.concat([good, pd.DataFrame({"村": ["大王庄村"], "金额": ["1,23"], "日期": ["2026-11-22"]})])
    bad.to_excel(tmp_path / "bad.xlsx", index=False)
    refused = run("pay", sample_copy, "--from", tmp_path / "bad.xlsx")
    assert refused.exit_code == 2 and "row 4" in refused.output  # Excel's row 4: the header is row 1
    assert "payments" not in landkit.list_layers(sample_copy) or not len(landkit.read_layer(sample_copy, "payments"))
    good.to_csv(tmp_path / "good.csv", index=False, encoding="utf-8-sig")
    done = run("pay", sample_copy, "--from", tmp_path / "good.csv")
    assert done.exit_code == 0, done.output
    paid = landkit.read_layer(sample_copy, "payments")
    assert paid["amount_fen"].tolist() == [4_600_000, 123_450]
    assert paid["kind"].tolist() == ["crops", "social_security"]


def test_the_payments_ledger_is_append_only_and_its_dates_are_geopackage_dates(sample_copy):
    record_payments(sample_copy, [{"village": "410423101001", "amount": 100, "date": "2026-11-20"}])
    with sqlite3.connect(sample_copy) as db:
        declared = {r[1]: r[2] for r in db.execute("PRAGMA table_info(payments)")}
        assert declared["date"] == "DATE" and declared["amount_fen"] == "INTEGER"
        assert db.execute("SELECT date FROM payments").fetchall() == [("2026-11-20",)]
        assert db.execute("SELECT data_type FROM gpkg_contents WHERE table_name = 'payments'").fetchone() == (
            "attributes",
        )
    paid = landkit.read_layer(sample_copy, "payments")
    with pytest.raises(LedgerError):  # writing the ledger back changed is refused
        landkit.write_layer(paid.assign(amount_fen=1), sample_copy, "payments", overwrite=True)


@pytest.mark.postgis
def test_the_payments_ledger_in_a_database_refuses_changes(pg_server, pg_project, monkeypatch, tmp_path):
    import psycopg

    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    ids = record_payments(pg_project, [{"village": "大王庄", "amount": "4.6万", "date": "2026-11-20"}] * 2)
    assert ids == [1, 2]
    paid = landkit.read_layer(pg_project, "payments")
    assert paid["amount_fen"].tolist() == [4_600_000] * 2
    assert paid["date"].tolist() == [pd.Timestamp("2026-11-20")] * 2
    schema = landkit.store.postgis.parse(pg_project).schema
    for statement in (f"UPDATE {schema}.payments SET amount_fen = 1", f"DELETE FROM {schema}.payments"):
        with pytest.raises(psycopg.errors.RaiseException, match="append-only history"):
            pg_server.sql(statement)
    with pytest.raises(LedgerError, match="append-only"):
        landkit.write_layer(paid.iloc[:1], pg_project, "payments", overwrite=True)
    assert record_payments(pg_project, [{"corrects": 1, "amount": "-4.6万", "date": "2026-11-21"}]) == [3]
    owed = money.money_owed(landkit.read_project(pg_project), as_of="2026-11-30")
    assert owed.loc["410423101001", "paid_fen"] == 4_600_000
    snapshot = tmp_path / "snapshot.gpkg"  # the meeting laptop's copy says the same
    landkit.store.pull(pg_project, snapshot)
    again = money.money_owed(landkit.read_project(snapshot), as_of="2026-11-30")
    assert again.equals(owed)
    with sqlite3.connect(snapshot) as db:
        assert {r[1]: r[2] for r in db.execute("PRAGMA table_info(payments)")}["date"] == "DATE"


# -- dates set by the ledger -----------------------------------------------------------------------


def test_each_transition_sets_its_date_and_a_revocation_clears_it(project_url_or_path, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    project = project_url_or_path
    parcels = landkit.read_layer(project, "parcels")
    pid = parcels.index[(parcels["status"] == "acquiring") & parcels["acquired_on"].isna()][0]
    rows = [
        {"parcel_id": pid, "status": "acquired", "date": "2026-11-02"},
        {"parcel_id": pid, "status": "submitted", "date": "2026-11-03"},
        {"parcel_id": pid, "status": "approved", "date": "2026-11-04"},
    ]
    landkit.record_events(project, rows)
    got = landkit.read_layer(project, "parcels").loc[pid]
    assert (got["acquired_on"], got["approved_on"]) == (pd.Timestamp("2026-11-02"), pd.Timestamp("2026-11-04"))
    landkit.record_event(project, pid, "submitted", "2026-11-05", event_type="revocation")
    got = landkit.read_layer(project, "parcels").loc[pid]
    assert got["acquired_on"] == pd.Timestamp("2026-11-02") and pd.isna(got["approved_on"])


def test_a_project_landkit_writes_stores_its_dates_as_dates(tmp_path, sample_layers):
    path = tmp_path / "new.gpkg"
    landkit.write_project(sample_layers, path)
    parcels = sample_layers["parcels"]
    pid = parcels.index[parcels["status"] == "acquiring"][0]
    landkit.record_event(path, pid, "acquired", "2026-11-26")
    with sqlite3.connect(path) as db:
        declared = {r[1]: r[2] for r in db.execute("PRAGMA table_info(parcels)")}
        assert {declared[c] for c in ("acquired_on", "approved_on", "supplied_on", "started_on")} == {"DATE"}
        values = [v for (v,) in db.execute("SELECT acquired_on FROM parcels WHERE acquired_on IS NOT NULL")]
        assert values and all(len(v) == 10 and dt.date.fromisoformat(v) for v in values)
        assert db.execute("SELECT acquired_on FROM parcels WHERE parcel_id = ?", (pid,)).fetchone() == ("2026-11-26",)
    assert landkit.content_hash(landkit.read_project(path)) != ""  # it reads back


def test_the_samples_date_columns_are_geopackage_dates_and_take_the_ledgers_dates_as_days(sample_copy):
    """The bundled file declares its date columns DATE (GeoPackage's type for a day): a recorded
    date goes in as the day's ISO text, no time, and reads back as the same day."""
    parcels = landkit.read_layer(sample_copy, "parcels")
    pid = parcels.index[parcels["status"] == "acquiring"][0]
    landkit.record_event(sample_copy, pid, "acquired", "2026-11-26")
    with sqlite3.connect(sample_copy) as db:
        types = dict(db.execute("SELECT name, type FROM pragma_table_info('parcels')").fetchall())
        assert {types[c] for c in ("acquired_on", "approved_on", "supplied_on")} == {"DATE"}
        assert db.execute("SELECT acquired_on FROM parcels WHERE parcel_id = ?", (pid,)).fetchone() == ("2026-11-26",)
    assert landkit.read_layer(sample_copy, "parcels").at[pid, "acquired_on"] == pd.Timestamp("2026-11-26")


# -- rates -----------------------------------------------------------------------------------------


def test_a_rate_written_in_wan_is_read_and_a_negative_rate_is_named():
    rates = pd.DataFrame(
        {"kind": ["land", "crops"], "yuan_per_mu": ["4.6万", "1,500"], "yuan_per_household": [None, None]},
        index=pd.Index(["R1", "R2"], name="rate_id"),
    )
    assert money.checked_rates(rates)["yuan_per_mu"].tolist() == [46_000.0, 1_500.0]
    for bad, code in (("-1500", "money.rate_not_positive"), ("0", "money.rate_not_positive"),
                      ("一千五", "money.rate_unreadable")):  # fmt: skip
        with pytest.raises(DataError) as caught:
            money.checked_rates(rates.assign(yuan_per_mu=["4.6万", bad]))
        assert caught.value.code == code and "R2" in str(caught.value)


def test_money_on_a_project_with_a_negative_rate_says_which_in_a_line(sample_copy):
    rates = landkit.read_layer(sample_copy, "compensation_rates")
    rates["yuan_per_mu"] = ["52000", "4.6万", "-1500", "3000", None]
    landkit.write_layer(rates, sample_copy, "compensation_rates", overwrite=True)
    said = run("money", sample_copy, lang="zh")
    assert said.exit_code == 2 and "R3" in said.output and "Traceback" not in said.output
    assert len(said.output.strip().splitlines()) <= 2


# -- 本月变化 ----------------------------------------------------------------------------------------


def test_changes_lists_a_relocation_step_and_a_payment_of_the_period(sample_copy):
    """The done-when line: `changes` lists a relocation step and a payment, each before → after."""
    villages = landkit.read_layer(sample_copy, "villages")
    code = villages.index[villages["relocation_status"] == "planned"][0]
    assert run("record", sample_copy, code, "agreement_signed", "--village", "--date", "2026-11-24").exit_code == 0
    assert run("pay", sample_copy, code, "4.6万", "--date", "2026-11-25", "--kind", "安置补助费").exit_code == 0
    assert run("pay", sample_copy, code, "1000", "--date", "2026-10-25").exit_code == 0  # before the period
    found = json.loads(run("changes", sample_copy, "--since", "2026-10-31", "--format", "json").stdout)
    (step,) = found["relocation"]
    assert (step["village_code"], step["before"], step["after"]) == (code, "planned", "agreement_signed")
    assert step["households"] == int(villages.at[code, "households"])
    (payment,) = found["payments"]
    assert (payment["village_code"], payment["kind"]) == (code, "resettlement")
    assert (payment["paid_before_yuan"], payment["amount_yuan"], payment["paid_after_yuan"]) == (1000, 46000, 47000)
    text = run("changes", sample_copy, "--since", "2026-10-31", lang="zh").output
    name = villages.at[code, "name"]
    assert f"{name} {code}：待搬迁 → 已签协议，2026-11-24" in text
    assert "46,000.00 元 安置补助费" in text and "1,000.00 → 47,000.00" in text


def test_a_pack_as_of_a_date_holds_no_payment_made_after_it(sample_copy, tmp_path):
    """The pack's project.gpkg snapshot is the project as it stood: a later payment is not in it."""
    code = landkit.read_layer(sample_copy, "villages").index[0]
    assert run("pay", sample_copy, code, "1000", "--date", "2026-09-30").exit_code == 0  # on the day: kept
    assert run("pay", sample_copy, code, "4.6万", "--date", "2026-10-01").exit_code == 0  # the day after: not
    said = run("report", sample_copy, "-o", tmp_path / "pack", "--as-of", "2026-09-30")
    assert "Traceback" not in said.output and said.exit_code in (0, 1), said.output
    snapshot = landkit.read_layer(tmp_path / "pack" / "project.gpkg", "payments")
    assert snapshot["amount_fen"].tolist() == [100_000]
    paid = json.loads(run("money", tmp_path / "pack" / "project.gpkg", "--format", "json").stdout)["total"]
    assert paid["paid_yuan"] == 1000


def test_as_of_a_date_before_any_payment_there_is_no_payments_ledger_and_an_undated_one_is_kept():
    """The project as it stood before the first payment has no payments ledger (not an empty one the
    audit would warn of); a payment without a date is not dropped (the audit names it)."""
    from landkit import period

    layers = landkit.read_project(landkit.SAMPLE_PATH)
    paid = pd.DataFrame(
        {"date": pd.to_datetime(["2026-03-01", "2026-05-01"]).astype("datetime64[ms]"), "amount_fen": [100, 200]},
        index=pd.Index(["P1", "P2"], name="payment_id"),
    )
    assert "payments" not in period.as_of({**layers, "payments": paid}, "2026-02-28")
    assert period.as_of({**layers, "payments": paid}, "2026-03-01")["payments"].index.tolist() == ["P1"]
    undated = paid.assign(date=paid["date"].where(paid.index == "P1"))
    assert period.as_of({**layers, "payments": undated}, "2026-03-01")["payments"].index.tolist() == ["P1", "P2"]
