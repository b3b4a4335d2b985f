"""Payments recorded, not assumed: the append-only ``payments`` ledger (补偿款支付台账).

Each payment is money paid to a village, or for one of its parcels, on a day: an amount in fen
(integers: exact, never a float sum), a kind (土地补偿费, 安置补助费, 青苗费 …), the voucher or
document it was paid under. Nothing recorded is changed: a mistake is put right by a correction,
a further row naming the payment it corrects (``corrects``) with the amount that sets it right
(negative to take money back). Payments are appended in one transaction with the same rules as
the events (:mod:`landkit.ledger`): one bad row refuses the batch, every bad row listed.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from . import store
from .errors import DataError, LedgerError
from .ledger import Phrase, _as_rows, _blank, parse_date
from .schema import LAYERS, as_code

#: The kinds of payment (款项), by code, as the compensation rates name theirs where they match
#: (``land``, ``crops``, ``structures``, ``relocation``); a kind outside the list is kept as typed.
PAYMENT_KINDS: dict[str, str] = {
    "land": "土地补偿费",
    "resettlement": "安置补助费",
    "crops": "青苗费",
    "structures": "地上附着物",
    "social_security": "社保",
    "relocation": "搬迁安置补助",
}

_SCALE = {"": 1, "元": 1, "万": 10_000, "万元": 10_000, "亿": 100_000_000, "亿元": 100_000_000}
_AMOUNT = re.compile(
    r"(?P<sign>[-−])?\s*[¥￥]?\s*(?P<number>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>万元|亿元|万|亿|元)?"
)


def parse_yuan(value: Any) -> int:
    """An amount of money in fen (an int), from what a planner writes: ``46000``, ``4.6万``,
    ``1,234.5``, ``1.2亿``, ``￥3,000元``, ``-500`` (a number from a spreadsheet too). Refuses an empty
    cell, a word, a misplaced thousands separator and a fraction of a fen (:class:`LedgerError`).

    Examples
    --------
    >>> parse_yuan("4.6万"), parse_yuan("1,234.5"), parse_yuan("1.2亿"), parse_yuan(-12.3)
    (4600000, 123450, 12000000000, -1230)
    """
    yuan = read_yuan(value)
    fen = yuan * 100
    if fen != fen.to_integral_value():
        raise LedgerError(code="pay.below_fen", value=str(value).strip())
    return int(fen)


def read_yuan(value: Any) -> Decimal:
    """An amount in yuan as written (``4.6万``, ``1,234.5``, a number), exactly, to any precision (a
    rate per mu may go below a fen); :func:`parse_yuan` is the amount of a payment, to the fen."""
    if _blank(value):
        raise LedgerError(code="pay.amount_empty")
    if isinstance(value, bool):
        raise LedgerError(code="pay.not_an_amount", value=str(value))
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise LedgerError(code="pay.not_an_amount", value=str(value))
        yuan = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = str(value).strip().replace(" ", "").replace("\u3000", "")
        match = _AMOUNT.fullmatch(text)
        if match is None:
            raise LedgerError(code="pay.not_an_amount", value=str(value).strip())
        number = match["number"].replace(",", "").replace("，", "")
        try:
            yuan = Decimal(number) * _SCALE[match["unit"] or ""]
        except InvalidOperation:
            raise LedgerError(code="pay.not_an_amount", value=str(value).strip()) from None
        if match["sign"]:
            yuan = -yuan
    return yuan


def yuan_text(fen: int) -> str:
    """Fen as yuan with thousands separators and two decimals: 4600000 → ``46,000.00``."""
    return f"{Decimal(fen) / 100:,.2f}"


def fen_of(yuan: Any) -> int:
    """Yuan (a number that is already to the fen, as a table holds it) in fen, rounded half up."""
    return int((Decimal(str(yuan)) * 100).quantize(Decimal(1), ROUND_HALF_UP))


_HEADERS = {
    "村": "village", "村名": "village", "村代码": "village", "village": "village", "village_code": "village",
    "地块": "parcel", "地块编号": "parcel", "parcel": "parcel", "parcel_id": "parcel",
    "对象": "target", "target": "target",
    "金额": "amount", "金额(元)": "amount", "金额（元）": "amount", "amount": "amount", "amount_yuan": "amount",
    "日期": "date", "支付日期": "date", "date": "date",
    "款项": "kind", "kind": "kind",
    "凭证号": "document_ref", "文号": "document_ref", "document_ref": "document_ref", "doc": "document_ref",
    "更正": "corrects", "更正的支付编号": "corrects", "corrects": "corrects",
    "备注": "note", "note": "note",
}  # fmt: skip


def _normalise(row: Mapping[str, Any], *, future: bool) -> dict[str, Any]:
    unknown = [str(k) for k in row if str(k).strip() not in _HEADERS]
    if unknown:
        raise LedgerError(code="pay.unknown_header", header=unknown[0], known=" ".join(_HEADERS))
    cells = {_HEADERS[str(k).strip()]: v for k, v in row.items()}
    kind = None if _blank(cells.get("kind")) else (as_code(cells["kind"], PAYMENT_KINDS) or str(cells["kind"]).strip())
    corrects = None
    if not _blank(cells.get("corrects")):
        try:
            corrects = int(str(cells["corrects"]).strip())
        except ValueError:
            raise LedgerError(code="pay.corrects_not_a_number", value=str(cells["corrects"]).strip()) from None
    amount = parse_yuan(cells.get("amount"))
    if amount == 0:
        raise LedgerError(code="pay.zero")
    if amount < 0 and corrects is None:
        raise LedgerError(code="pay.negative_needs_correction", amount=yuan_text(amount))
    return {
        "target": None if _blank(cells.get("target")) else str(cells["target"]).strip(),
        "village": None if _blank(cells.get("village")) else str(cells["village"]).strip(),
        "parcel": None if _blank(cells.get("parcel")) else str(cells["parcel"]).strip(),
        "date": parse_date(cells.get("date"), future=future),
        "amount_fen": amount,
        "kind": kind,
        "document_ref": None if _blank(cells.get("document_ref")) else str(cells["document_ref"]).strip(),
        "corrects": corrects,
        "note": None if _blank(cells.get("note")) else str(cells["note"]).strip(),
    }


def _villages(writer: Any) -> Any:
    import pandas as pd

    if not writer.has("villages"):
        return None
    cols = [c for c in ("village_code", "name") if c in writer.columns("villages")]
    rows = writer.rows("villages", cols)
    return pd.DataFrame(rows, columns=cols).set_index("village_code")


def _place(
    writer: Any, row: dict[str, Any], villages: Any, parcels: Mapping[str, Any]
) -> tuple[str | None, str | None]:
    """(village_code, parcel_id) of a payment: a parcel's village, or the village its name or code names."""
    from .names import find_village

    parcel = row["parcel"] or (row["target"] if row["target"] in parcels else None)
    if parcel is not None:
        if parcel not in parcels:
            raise LedgerError(code="pay.unknown_parcel", key=parcel)
        village = parcels[parcel]
        if row["village"] is not None and village is not None and villages is not None:
            named = str(find_village(villages, row["village"]))
            if named != str(village):
                raise LedgerError(code="pay.parcel_not_in_village", key=parcel, village=row["village"])
        return (None if village is None else str(village)), parcel
    key = row["village"] or row["target"]
    if key is None:
        raise LedgerError(code="pay.no_target")
    return str(find_village(villages, key)), None


def record_payments(path: str | os.PathLike, payments: Any, *, future: bool = False) -> list[int]:
    """Append payments to a project's ``payments`` ledger in one transaction; return their ids.

    ``payments`` is a DataFrame or a list of dicts: the village (``village``/村, by code or name)
    or the parcel (``parcel``/地块编号) or either as ``target``, ``amount``/金额 (元, ``4.6万``,
    ``1,234.5``, ``1.2亿``), ``date``/日期 and optionally ``kind``/款项, ``document_ref``/凭证号,
    ``corrects``/更正 (the id of the payment a correction sets right) and ``note``/备注. A negative
    amount is accepted only as a correction, and never takes a payment below nothing. The table is
    created (append-only) by the first payment. One bad row refuses the batch, every bad row listed.
    """
    rows = _as_rows(payments)
    if not rows:
        return []
    errors: list[LedgerError] = []
    clean: list[tuple[int, dict[str, Any]]] = []
    for n, row in enumerate(rows, start=1):
        try:
            clean.append((n, _normalise(row, future=future)))
        except LedgerError as exc:
            errors.append(LedgerError(code="pay.row", n=n + 1, reason=exc))
    spec = LAYERS["payments"]
    with store.writing(path) as writer:
        if not writer.has("parcels") and not writer.has("villages"):
            raise LedgerError(
                code="ledger.no_layer", path=str(path), layer="villages", name=LAYERS["villages"].label_zh
            )
        if not writer.has("payments"):
            writer.create_table("payments", {spec.id: "int"} | {c.name: c.kind for c in spec.columns})
        last = writer.max("payments", "payment_id")  # in a database: one recorder at a time from here on
        wanted = {r["parcel"] or r["target"] for _, r in clean} - {None}
        parcels: dict[str, Any] = {}
        if writer.has("parcels") and wanted:
            cols = ["parcel_id", "village_code"] if "village_code" in writer.columns("parcels") else ["parcel_id"]
            for found in writer.rows("parcels", cols, "parcel_id", sorted(wanted)):
                parcels[str(found[0])] = found[1] if len(found) > 1 else None
        villages = _villages(writer)
        past: dict[int, tuple[Any, Any, int, Any, Any]] = {
            int(i): (v, p, int(a), c, k)
            for i, v, p, a, c, k in writer.rows(
                "payments", ["payment_id", "village_code", "parcel_id", "amount_fen", "corrects", "kind"]
            )
        }
        net = {i: a for i, (_, _, a, c, _) in past.items() if c is None}  # a payment with its corrections
        for _, _, a, c, _ in past.values():
            if c is not None and int(c) in net:
                net[int(c)] += a
        out: list[dict[str, Any]] = []
        for n, row in clean:
            try:
                if row["corrects"] is not None:
                    if row["corrects"] not in net:  # not a payment, or itself a correction
                        raise LedgerError(code="pay.corrects_unknown", id=row["corrects"])
                    village, parcel, _, _, kind = past[row["corrects"]]
                    if (row["village"] or row["parcel"] or row["target"]) and _place(
                        writer, row, villages, parcels
                    ) != (village, parcel):
                        raise LedgerError(code="pay.correction_elsewhere", id=row["corrects"])
                    row = row | {"kind": row["kind"] or kind}  # a correction is of the payment's own kind
                    left = net.get(row["corrects"], 0) + row["amount_fen"]
                    if left < 0:
                        raise LedgerError(
                            code="pay.correction_below_nothing", id=row["corrects"],
                            paid=yuan_text(net.get(row["corrects"], 0)), amount=yuan_text(row["amount_fen"]),
                        )  # fmt: skip
                    net[row["corrects"]] = left
                else:
                    village, parcel = _place(writer, row, villages, parcels)
            except DataError as exc:  # a refusal, or a village no name or code finds
                errors.append(LedgerError(code="pay.row", n=n + 1, reason=exc))
                continue
            out.append({"village_code": village, "parcel_id": parcel, **{k: row[k] for k in (
                "date", "amount_fen", "kind", "document_ref", "corrects", "note")}})  # fmt: skip
        errors.sort(key=lambda e: int(e.fields["n"]))
        if errors and len(rows) == 1:
            raise LedgerError(code="pay.nothing_recorded", path=str(path), reason=errors[0].fields["reason"])
        if errors:
            listed = Phrase(lambda lang: "".join(f"\n  - {e.text(lang)}" for e in errors[:50]))
            raise LedgerError(
                code="pay.refused_rows", path=str(path), refused=len(errors), total=len(rows), rows=listed
            )
        first = int(last or 0) + 1
        stamped = [{"payment_id": first + i, **p} for i, p in enumerate(out)]
        writer.insert("payments", stamped)
    return [p["payment_id"] for p in stamped]
