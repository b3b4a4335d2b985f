"""English words of the payments ledger and the money table (landkit pay, landkit money); Chinese in zh_money.py."""

MESSAGES: dict[str, str] = {
    # the commands' help
    "cmd.pay.short": "Append a payment to the payments ledger",
    "cmd.pay.help": (
        "Record money actually paid in the append-only payments ledger: a village (code or name) or a parcel, "
        "the amount in yuan (`4.6万`, 1,234.5 and `1.2亿` accepted) and the date.\n"
        "A payment recorded wrongly is never changed: record a correction (--correct PAYMENT_ID) with the amount "
        "that sets it right (negative to take money back, written after --).\n"
        "Many: PATH --from payments.xlsx with columns `村`/village or `地块编号`/parcel, `金额`/amount, `日期`/date, "
        "optional `款项`/kind, `凭证号`/document_ref, `更正`/corrects, `备注`/note.\n"
        "Example: landkit pay lushan.gpkg Dawangzhuang 46000 --date 2026-11-27 --kind land"
    ),
    "arg.pay.target": "The village paid (code or name) or a parcel id.",
    "arg.pay.amount": "The amount in yuan: 46000, `4.6万`, 1,234.5 or `1.2亿`.",
    "opt.pay.date": "Date paid: 2026-11-27, `2026年11月27日`, 2026/11/27 or 2026.11.27.",
    "opt.pay.doc": "Voucher or document reference.",
    "opt.pay.kind": (
        "Kind: land, resettlement, crops, structures, social_security, relocation (or their Chinese names), or another."
    ),
    "opt.pay.correct": "This is a correction of payment ID; only a correction may be negative.",
    "opt.pay.note": "A note kept with the payment.",
    "opt.pay.from": "Record every row of a CSV or XLSX file in one transaction.",
    "opt.pay.future": "Allow a date more than a year ahead.",
    "cmd.money.short": "Compensation: due, paid, owed, overdue",
    "cmd.money.help": (
        "Compensation by village (or month, or kind): due by the schedule (compensation mode and acquisition "
        "date), paid (the payments ledger), owed, overdue (unpaid 90 days after due); the last row, `合计`, is the "
        "sum of the rows.\n"
        "Example: landkit money lushan.gpkg --as-of 2026-11-30 --by village --lang en"
    ),
    "opt.money.as_of": "The date (default: today).",
    "opt.money.by": "One row per village, month or kind.",
    # what the commands print
    "cli.pay.both": "give either TARGET AMOUNT --date or --from FILE, not both",
    "cli.pay.needs": "pay needs TARGET AMOUNT --date DATE (or --from FILE.csv|xlsx)",
    "cli.pay.batch": "recorded {count} payment(s) from {source} into {path} (payment ids {first}-{last})",
    "cli.pay.empty": "{source} holds no payments; nothing was recorded",
    "cli.pay.done": "recorded payment {id}: {target} {yuan} yuan",
    "cli.money.head": "{path}: compensation as of {date}, {by} (yuan)",
    "cli.money.by.village": "by village",
    "cli.money.by.month": "by month",
    "cli.money.by.kind": "by kind",
    "cli.money.due_fen": "due",
    "cli.money.paid_fen": "paid",
    "cli.money.owed_fen": "owed",
    "cli.money.overdue_fen": "overdue",
    "cli.money.total": "total",
    "cli.money.no_key": "(none)",
    # amounts and payments (payments.py)
    "pay.amount_empty": "the amount is empty; write it as 46000, `4.6万`, 1,234.5 or `1.2亿`",
    "pay.not_an_amount": (
        "{value!r} is not an amount; write it as 46000, `4.6万`, 1,234.5 or `1.2亿` (a separator every three digits)"
    ),
    "pay.below_fen": "the amount {value!r} goes below a fen; write it to the fen (two decimals)",
    "pay.unknown_header": "unknown column {header!r}; the columns are: {known}",
    "pay.corrects_not_a_number": "the payment id to correct, {value!r}, is not a whole number",
    "pay.zero": "the amount is 0; nothing to record",
    "pay.negative_needs_correction": (
        "the amount {amount} yuan is negative: only a correction may be; name the payment it "
        "corrects with --correct (or a corrects column)"
    ),
    "pay.unknown_parcel": "parcel {key} is not in the parcels layer",
    "pay.parcel_not_in_village": "parcel {key} is not in {village}; check the village or the parcel id",
    "pay.no_target": "no village or parcel paid; add a village or parcel column",
    "pay.corrects_unknown": (
        "there is no payment {id} to correct (or it is itself a correction); name the original payment"
    ),
    "pay.correction_below_nothing": (
        "payment {id} with its corrections is {paid} yuan; a correction of {amount} yuan "
        "would take it below 0; check the amount"
    ),
    "pay.correction_elsewhere": (
        "a correction is of the same village or parcel as payment {id}; money paid elsewhere is a payment of its own"
    ),
    "pay.row": "row {n}: {reason}",
    "pay.nothing_recorded": "{path}: {reason}; no payment was recorded",
    "pay.refused_rows": "{path}: {refused} of {total} payment(s) refused; nothing was recorded:{rows}",
    # 本月变化: relocation steps and payments of the period (period.py, landkit changes)
    "changes.relocation": "Relocation steps (village: before → after)",
    "changes.payments": "Payments (the village's total paid: before → after)",
    "cli.changes.steps": "{count} relocation step(s):",
    "cli.changes.step": "  {village}: {was} -> {now} on {date} ({households} households)",
    "cli.changes.payments": "{count} payment(s), {yuan} yuan in all:",
    "cli.changes.payment": "  {village}: {amount} yuan {kind} on {date}; paid in all {before} -> {after} yuan",
    # rates (money.py)
    "money.rate_unreadable": (
        "compensation rate {id}: {column} (`{label}`) is {value!r}, not an amount; write it as 46000 or `4.6万`"
    ),
    "money.rate_not_positive": (
        "compensation rate {id}: {column} (`{label}`) is {value!r}, not a positive amount; "
        "correct it in the compensation_rates table"
    ),
    # a number column holding text (4.6万 in a REAL column of a GeoPackage): the schema check
    "check.text_in_number": (
        "number column {what} ({label}) holds text {values}, which QGIS and other programs read as the numbers "
        "{misread}"
    ),
    "check.text_in_number_fix": "write the number itself: {fixed}",
}
