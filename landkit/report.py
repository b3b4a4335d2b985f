"""The meeting pack: the audit as HTML and XLSX, progress charts, the maps, and a summary page.

Every file is stamped with the input's SHA-256, the landkit version and the area method, so
that a figure on a slide can be traced back to the file and the code that produced it.
Everything is built in memory here; :mod:`landkit.io` writes it.
"""

from __future__ import annotations

import html
import io as _io
from dataclasses import dataclass

import pandas as pd

HEADERS_ZH = {
    "rule": "规则", "severity": "级别", "layer": "图层", "ids": "要素编号", "area_m2": "面积(m²)",
    "area_mu": "面积(亩)", "message": "说明", "count": "要素数", "not_measured": "未量算",
    "stated_mu": "登记面积(亩)", "target": "目标", "label_zh": "名称", "target_mu": "目标(亩)",
    "measured_mu": "实测面积(亩)", "share_stated": "完成比例", "remaining_mu": "剩余(亩)",
}  # fmt: skip


@dataclass(frozen=True)
class Stamp:
    """What every file of the pack says about where its figures come from."""

    path: str
    sha256: str
    version: str
    area_method: str

    def text(self) -> str:
        return f"input {self.path} · sha256 {self.sha256} · landkit {self.version} · {self.area_method}"


def _table(df: pd.DataFrame) -> str:
    """An HTML table with every value escaped (values are untrusted attribute data)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _page(title: str, body: str, stamp: Stamp) -> str:
    style = (
        "body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}th{background:#eee}"
        ".stamp{color:#666;font-size:11px;margin-top:2em}"
    )
    return (
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{style}</style></head><body><h1>{html.escape(title)}</h1>{body}"
        f'<p class="stamp">{html.escape(stamp.text())}</p></body></html>'
    )


def totals_tables(totals: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The audit totals as two tables: per layer, and parcels per status with a 合计 row."""
    layers = pd.DataFrame(totals["layers"]).T.rename_axis("layer").reset_index()
    if not len(layers):
        layers = pd.DataFrame(columns=["layer", "count", "not_measured", "area_m2", "area_mu"])
    status = pd.DataFrame(totals["parcels_by_status"]).T.rename_axis("status").reset_index()
    if len(status):
        total = {"status": "合计 total", "count": int(status["count"].sum())}
        for col in ("stated_mu", "area_m2", "area_mu"):
            total[col] = round(float(status[col].sum()), 2)
        status = pd.concat([status, pd.DataFrame([total])], ignore_index=True)
    return layers, status


def audit_html(findings: pd.DataFrame, totals: dict, stamp: Stamp) -> str:
    """The audit as one self-contained HTML page (no script, every value escaped)."""
    layers, status = totals_tables(totals)
    shown = findings.assign(ids=findings["ids"].map(lambda ids: ", ".join(map(str, ids))))
    shown = shown.assign(area_m2=shown["area_m2"].round(2), area_mu=shown["area_mu"].round(2))
    counts = findings["severity"].value_counts()
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("error", "warning", "info"))
    body = (
        f"<p>{len(findings)} finding(s): {html.escape(summary)}</p><h2>问题 Findings</h2>{_table(shown)}"
        f"<h2>按状态 Parcels by status</h2>{_table(status)}<h2>图层 Layers</h2>{_table(layers)}"
    )
    return _page("面积审核 Area audit", body, stamp)


def audit_xlsx(findings: pd.DataFrame, totals: dict, stamp: Stamp, *, progress: pd.DataFrame | None = None) -> bytes:
    """The audit as an Excel workbook: one sheet per table, Chinese headers, a 说明 sheet."""
    layers, status = totals_tables(totals)
    sheets = {
        "问题": findings.assign(ids=findings["ids"].map(lambda ids: ", ".join(map(str, ids)))),
        "按状态": status,
        "图层": layers,
    }
    if progress is not None:
        sheets["目标进度"] = progress.reset_index()
    buffer = _io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in sheets.items():
            df.rename(columns=HEADERS_ZH).to_excel(writer, sheet_name=name, index=False)
        pd.DataFrame({"说明": stamp.text().split(" · ")}).to_excel(writer, sheet_name="说明", index=False)
    return buffer.getvalue()


def progress_png(progress: pd.DataFrame, stamp: Stamp) -> bytes:
    """A bar chart of progress against each target (stated mu), with a CJK font when installed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    cjk = _cjk_fonts(font_manager)
    zh = bool(cjk)  # Chinese labels only where a font can draw them
    with plt.rc_context({"font.family": cjk[0]} if zh else {}):
        fig, ax = plt.subplots(figsize=(8, 4), dpi=120)
        labels = progress["label_zh"] if zh else progress.index
        done = progress["stated_mu"].clip(upper=progress["target_mu"])
        ax.barh(labels, progress["target_mu"], color="#dddddd", label="目标 target" if zh else "target")
        ax.barh(labels, done, color="#3182bd", label="完成 done" if zh else "done")
        for y, (d, t) in enumerate(zip(progress["stated_mu"], progress["target_mu"], strict=True)):
            ax.text(t, y, f" {d:,.0f} / {t:,.0f} mu", va="center", fontsize=8)
        ax.set_xlabel("登记面积 (亩) stated mu" if zh else "stated area (mu)")
        ax.set_title(f"Reserve targets as of {progress.attrs.get('as_of', '')}")
        ax.legend(loc="lower right", fontsize=8)
        fig.text(0.01, 0.01, stamp.text()[:150], fontsize=5, color="#666")
        fig.tight_layout(rect=(0, 0.03, 0.95, 1))
    buffer = _io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _cjk_fonts(font_manager) -> list[str]:
    """Names of installed CJK fonts; a font installed after matplotlib built its cache is added."""

    def names() -> list[str]:
        return [f.name for f in font_manager.fontManager.ttflist if "WenQuanYi" in f.name or "Noto Sans CJK" in f.name]

    if not names():
        for path in font_manager.findSystemFonts():
            if "wqy" in path.lower() or "notosanscjk" in path.lower():
                font_manager.fontManager.addfont(path)
    return names()


def index_html(files: dict[str, str], summary: dict[str, str], stamp: Stamp) -> str:
    """The pack's front page: the headline figures and a link to every file."""
    rows = "".join(f'<li><a href="{html.escape(f)}">{html.escape(label)}</a></li>' for f, label in files.items())
    facts = pd.DataFrame({"": list(summary), " ": list(summary.values())})
    return _page("会议材料 Meeting pack", f"{_table(facts)}<ul>{rows}</ul>", stamp)
