"""Chinese words of the payments ledger and the money table (landkit pay, landkit money); English in en_money.py."""

MESSAGES: dict[str, str] = {
    # the commands' help
    "cmd.pay.short": "向补偿支付台账追加一笔支付",
    "cmd.pay.help": (
        "向补偿支付台账（payments，只追加）录入实际支付：村（代码或村名）或地块，"
        "金额（元，可写 4.6万、1,234.5、1.2亿），日期。\n"
        "录错的支付不改不删：另录一笔更正（--correct 支付编号），金额为要补上或扣回的数（扣回为负数，写在 -- 之后）。\n"
        "多条：PATH --from 支付.xlsx，列为 村/地块编号、金额、日期，可选 款项、凭证号、更正、备注。\n"
        "示例：landkit pay lushan.gpkg 大王庄 4.6万 --date 2026-11-27 --kind 土地补偿费 --doc 鲁财〔2026〕88号"
    ),
    "arg.pay.target": "收款的村（村代码或村名）或地块编号。",
    "arg.pay.amount": "金额（元）：46000、4.6万、1,234.5 或 1.2亿。",
    "opt.pay.date": "支付日期：2026-11-27、2026年11月27日、2026/11/27 或 2026.11.27。",
    "opt.pay.doc": "凭证号或文号。",
    "opt.pay.kind": "款项：土地补偿费、安置补助费、青苗费、地上附着物、社保、搬迁安置补助，或其他名称。",
    "opt.pay.correct": "这笔是对某笔支付（支付编号）的更正；只有更正可以是负数。",
    "opt.pay.note": "这笔支付的备注。",
    "opt.pay.from": "把 CSV 或 XLSX 文件的每一行在一个事务中录入（中文表头）。",
    "opt.pay.future": "允许一年以后的日期。",
    "cmd.money.short": "补偿款：应付、已付、欠付、逾期",
    "cmd.money.help": (
        "补偿款按村（或按月、按款项）：应付（按补偿方式和征收日期的应付款）、已付（支付台账）、欠付、"
        "逾期（到期 90 天仍未付），末行合计为各行之和。\n"
        "示例：landkit money lushan.gpkg --as-of 2026-11-30 --by village"
    ),
    "opt.money.as_of": "截至日期（默认：今天）。",
    "opt.money.by": "按村（village）、按月（month）或按款项（kind）分行。",
    # what the commands print
    "cli.pay.both": "请只给出 村或地块 金额 --date，或只给出 --from 文件，不要同时给出",
    "cli.pay.needs": "pay 需要 村或地块 金额 --date 日期（或 --from 文件.csv|xlsx）",
    "cli.pay.batch": "已从 {source} 向 {path} 录入 {count} 笔支付（支付编号 {first}–{last}）",
    "cli.pay.empty": "{source} 中没有支付；未录入任何内容",
    "cli.pay.done": "已录入支付 {id}：{target} {yuan} 元",
    "cli.money.head": "{path}：补偿款，截至 {date}，{by}（元）",
    "cli.money.by.village": "按村",
    "cli.money.by.month": "按月",
    "cli.money.by.kind": "按款项",
    "cli.money.due_fen": "应付",
    "cli.money.paid_fen": "已付",
    "cli.money.owed_fen": "欠付",
    "cli.money.overdue_fen": "逾期",
    "cli.money.total": "合计",
    "cli.money.no_key": "（未注明）",
    # amounts and payments (payments.py)
    "pay.amount_empty": "金额为空；请写成 46000、4.6万、1,234.5 或 1.2亿",
    "pay.not_an_amount": "{value!r} 不是金额；请写成 46000、4.6万、1,234.5 或 1.2亿（千位分隔符每三位一个）",
    "pay.below_fen": "金额 {value!r} 精确到分以下；请写到分（两位小数）",
    "pay.unknown_header": "未知的列 {header!r}；可用的列：{known}",
    "pay.corrects_not_a_number": "更正的支付编号 {value!r} 不是整数",
    "pay.zero": "金额为 0；不录入",
    "pay.negative_needs_correction": (
        "金额 {amount} 元为负数：负数只能作为更正录入；请用 --correct（或“更正”列）写明所更正的支付编号"
    ),
    "pay.unknown_parcel": "地块 {key} 不在储备地块图层中",
    "pay.parcel_not_in_village": "地块 {key} 不属于 {village}；请核对村或地块编号",
    "pay.no_target": "没有写收款的村或地块；请加“村”或“地块编号”列",
    "pay.corrects_unknown": "没有编号为 {id} 的支付（或它本身是一笔更正）；请写明原支付的编号",
    "pay.correction_below_nothing": "支付 {id} 连同其更正共 {paid} 元，更正 {amount} 元会使它小于 0；请核对金额",
    "pay.correction_elsewhere": "更正必须与所更正的支付 {id} 是同一个村或地块；付给别处的钱请另录一笔支付",
    "pay.row": "第 {n} 行：{reason}",
    "pay.nothing_recorded": "{path}：{reason}；没有录入任何支付",
    "pay.refused_rows": "{path}：{total} 笔支付中有 {refused} 笔被拒绝；没有录入任何支付：{rows}",
    # 本月变化: relocation steps and payments of the period (period.py, landkit changes)
    "changes.relocation": "搬迁进度（村：原状态 → 新状态）",
    "changes.payments": "补偿款支付（村累计已付：此前 → 此后）",
    "cli.changes.steps": "搬迁进度 {count} 步：",
    "cli.changes.step": "  {village}：{was} → {now}，{date}（{households} 户）",
    "cli.changes.payments": "补偿款支付 {count} 笔，共 {yuan} 元：",
    "cli.changes.payment": "  {village}：{amount} 元 {kind}，{date}；累计已付 {before} → {after} 元",
    # rates (money.py)
    "money.rate_unreadable": "补偿标准 {id} 的 {label}（{column}）为 {value!r}，不是金额；请写成 46000 或 4.6万",
    "money.rate_not_positive": "补偿标准 {id} 的 {label}（{column}）为 {value!r}，不是正数；请在补偿标准表中改正",
    # a number column holding text (4.6万 in a REAL column of a GeoPackage): the schema check
    "check.text_in_number": "数值字段 {what}（{label}）存的是文本 {values}，QGIS 与其他软件按数值读作 {misread}",
    "check.text_in_number_fix": "改写为数字：{fixed}",
}
