"""The meeting pack: every file rendered from one :class:`~landkit.analysis.Analysis` — maps, the
audit as HTML and XLSX, charts, the A3 map, 本月变化, figures.json, the QGIS project — and
index.html, its cards made of registered figures (:mod:`landkit.figures`)."""

from __future__ import annotations

import contextlib
import gc
import html
import os
from collections.abc import Iterator
from typing import Any

from .charts import progress_png, relocation_png
from .i18n import t as say
from .period import changes_html
from .report import Stamp, _page, audit_html, audit_xlsx, dumps, stamp_for
from .tables import land_tables, target_lists


def index_html(files: dict[str, str], summary: dict[str, str], stamp: Stamp, cards: list[dict] | None = None) -> str:
    """The pack's front page, for a projector: the headline figures as cards (with a progress bar
    where there is a target), the charts, a link to every file, the stamp. Card texts and summary
    values are HTML already escaped, their numbers tagged as figures (:func:`pack_cards`)."""
    tiles = []
    for card in cards or []:
        bar = ""
        if card.get("share") is not None:
            width = max(0.0, min(1.0, float(card["share"]))) * 100
            bar = f'<div class="bar"><div style="width:{width:.1f}%"></div></div>'
        tiles.append(
            f'<div class="card"><div class="label">{card["label"]}</div>'
            f'<div class="value">{card["value"]}</div>{bar}'
            f'<div class="note">{card.get("note", "")}</div></div>'
        )
    facts = "".join(f"<tr><td>{html.escape(k)}</td><td>{v}</td></tr>" for k, v in summary.items())
    images = "".join(
        f'<img src="{html.escape(f)}" alt="{html.escape(label)}">' for f, label in files.items() if f.endswith(".png")
    )
    links = "".join(f'<li><a href="{html.escape(f)}">{html.escape(label)}</a></li>' for f, label in files.items())
    style = (
        "<style>.cards{display:flex;flex-wrap:wrap;gap:16px;margin:1em 0}.card{flex:1 1 260px;border:1px solid #ccd;"
        "border-radius:8px;padding:14px 18px;background:#f8f9fc}.label{font-size:18px;color:#333}"
        ".value{font-size:30px;font-weight:bold;margin:6px 0}.note{font-size:15px;color:#555}"
        ".bar{height:12px;background:#e3e6ee;border-radius:6px;overflow:hidden}.bar div{height:100%;background:#3182bd}"
        "img{max-width:48%;margin:8px 1% 8px 0}ul{font-size:18px;line-height:1.8}</style>"
    )
    body = f'{style}<div class="cards">{"".join(tiles)}</div>{images}<table>{facts}</table><ul>{links}</ul>'
    return _page("会议材料", body, stamp)


def meeting_pack(
    layers: dict, path: str | os.PathLike, *, rules: dict | None = None, date=None, out_dir=None
) -> dict[str, Any]:
    """Every file of the meeting pack, by file name: maps, the audit as HTML and XLSX, the chart,
    the figures as JSON, the index — all rendered from one :func:`landkit.analysis.analyse`.

    With ``date``, the pack as the ledgers stood on that date (:func:`as_of`); a task's target is
    still all its parcels, only what is done follows the date. Community maps are named from a
    safe form of the community id (never a path). With ``out_dir`` (where the pack goes), the pack
    has a QGIS project, ``project.qgz``, opening a snapshot of the project, ``project.gpkg`` beside
    it (the folder travels to another PC), with the audit's findings and 三区三线 conflicts in
    ``project-findings.gpkg`` (:mod:`landkit.qgis`); an as-of pack's snapshot is the project as it
    stood on ``date`` (the parcels valid then, their statuses then), as its other files are.
    """
    from .analysis import analyse
    from .schema import require_layers

    require_layers(layers, ("parcels", "events", "communities"), where=path, needed_by="landkit report")
    with fewer_collections():
        return pack_files(analyse(layers, path, rules=rules, date=date), out_dir=out_dir)


#: Python's cyclic garbage collector looks at the young objects every 700 allocations (its
#: default) and, as they pile up, at every object alive. A pack allocates a great many (fontTools
#: reads every glyph of a CJK font to subset it, Jinja parses every map part, matplotlib makes
#: its artists, pandas its frames): on the sample, 772 passes of which 4 over everything, about
#: 0.5 s of CPU. Every 10,000 allocations instead: 42 passes, none over everything, about 0.17 s.
YOUNG_COLLECTION = 10_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the garbage collector less often inside (see ``YOUNG_COLLECTION``), as before after."""
    before = gc.get_threshold()
    if 0 < before[0] < YOUNG_COLLECTION:  # 0: collection is off, and stays so
        gc.set_threshold(YOUNG_COLLECTION, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def pack_files(a, *, out_dir=None) -> dict[str, Any]:
    """The meeting pack's files rendered from one :class:`~landkit.analysis.Analysis` (see :func:`meeting_pack`)."""
    from . import figures, maps
    from .io import safe_name
    from .paper import print_map

    layers, findings, stamp = a.layers, a.findings, stamp_for(a.path, a.layers)
    files: dict[str, Any] = {}
    labels = {"zone.html": say("pack.file.zone")}
    zone = maps.zone_map(layers, findings=a.shapes, rules=a.rules, conflicts=a.conflicts)
    files["zone.html"] = _stamped(maps.to_html(zone), stamp)
    taken: set[str] = set()
    for cid, row in layers["communities"].iterrows() if "villages" in layers else ():  # maps of who moves where
        name = f"community-{safe_name(cid, taken=taken)}.html"
        files[name] = _stamped(maps.to_html(maps.community_map(layers, str(cid))), stamp)
        labels[name] = say("pack.file.community", name=row["name"])
    files["audit.html"] = audit_html(findings, a.totals, stamp)
    files["zone-A3.pdf"] = print_map(layers, size="A3", findings=a.shapes)
    labels["zone-A3.pdf"] = say("pack.file.print")
    files["changes.html"] = changes_html(a.changes, layers, stamp)
    labels["changes.html"] = say("pack.file.changes")
    if out_dir is not None:
        from . import qgis

        drawn = a.shapes if a.shapes is not None else findings
        outputs = qgis.audit_layers(layers, rules=a.rules, findings=drawn, conflicts=a.conflicts)
        then = a.today if a.date is None else layers  # an as-of pack: the parcels and statuses of that date
        files |= qgis.project_files(a.path, os.path.join(out_dir, "project.qgz"), audit=outputs, snapshot=then)
        labels["project.qgz"] = say("pack.file.qgis")
        labels["project.gpkg"] = say("pack.file.snapshot")  # what project.qgz opens: the folder travels
    lists = {"目标地块": target_lists(a.today, a.goals, a.progress)} if a.goals else {}
    lists |= land_tables(layers, rules=a.rules, as_of=a.day, today=a.today, kept=_kept(a))
    first = {say("figure.sheet"): figures.sheet(a.figures)}
    files["audit.xlsx"] = audit_xlsx(
        findings, a.totals, stamp, progress=a.progress, more=lists | a.relocation, first=first
    )
    labels |= {"audit.html": say("pack.file.audit_html"), "audit.xlsx": say("pack.file.audit_xlsx")}
    if a.progress is not None:
        files["progress.png"] = progress_png(a.progress, stamp)
        labels["progress.png"] = say("pack.file.progress")
    if a.relocation:
        files["relocation.png"] = relocation_png(a.relocation["搬迁进度"], stamp)
        labels["relocation.png"] = say("pack.file.relocation")
    about = {"landkit_version": stamp.version, "input": stamp.path, "sha256": stamp.sha256, "as_of": str(a.day)}
    files["figures.json"] = dumps(about | {"area_method": stamp.area_method, "figures": figures.records(a.figures)})
    labels["figures.json"] = say("pack.file.figures")
    files["index.html"] = index_html(labels, _summary(a), stamp, pack_cards(a))
    return files


def _kept(a) -> dict:
    """What the audit computed and kept, as :func:`land_tables` takes it."""
    kept = (("conflicts", a.conflicts), ("zone_conflicts", a.zone_conflicts), ("suspects", a.suspects))
    return {k: v for k, v in kept if v is not None}


def _summary(a) -> dict[str, str]:
    """The facts table under the cards: label → HTML with the figures tagged."""
    from .figures import tagged

    f = a.figure
    return {
        f("data_date").label: tagged(f("data_date")),
        say("card.parcels"): say(
            "card.parcels_value",
            count=tagged(f("parcels.count")),
            measured=tagged(f("parcels.measured_mu")),
            stated=tagged(f("parcels.stated_mu")),
        ),
        say("card.findings"): _severity_html(a),
    }


def _severity_html(a) -> str:
    from .figures import tagged

    f = a.figure
    return say(
        "card.findings_note",
        errors=tagged(f("findings.error"), unit=False),
        warnings=tagged(f("findings.warning"), unit=False),
        infos=tagged(f("findings.info"), unit=False),
    )


def pack_cards(a) -> list[dict]:
    """The cards of index.html, each number a registered figure (tagged), each label saying its meaning."""
    from .figures import tagged

    f = a.figure
    cards = [target_card(row) for row in a.progress.itertuples()] if a.progress is not None else []
    cards[:0] = pace_cards(a)  # first: which targets are behind
    if a.relocation:
        moved, everyone = f("relocation.moved_households"), f("relocation.households")
        cards.append(
            {
                "label": say("card.relocation"),
                "value": f"{tagged(moved, unit=False)} / {tagged(everyone)}",
                "share": moved.value / everyone.value if everyone.value else None,
                "note": say(
                    "card.relocation_note",
                    signed=tagged(f("relocation.signed_households")),
                    demolished=tagged(f("relocation.demolished_households")),
                    people=tagged(f("relocation.people")),
                ),
            }
        )
        for cid in a.relocation["安置容量"].index:
            people, room = f("community.assigned_people", cid), f("community.capacity_people", cid)
            cards.append(
                {
                    "label": say("card.community", name=html.escape(people.name)),
                    "value": f"{tagged(people, unit=False)} / {tagged(room)}",
                    "share": people.value / room.value if room.value else None,
                    "note": say(
                        "card.community_note",
                        households=tagged(f("community.assigned_households", cid), unit=False),
                        capacity=tagged(f("community.capacity_households", cid)),
                    ),
                }
            )
    cards.append({"label": say("card.findings"), "value": tagged(f("findings.count")), "note": _severity_html(a)})
    cards.append(
        {
            "label": say("card.changes", since=html.escape(str(a.changes["events"].attrs["since"]))),
            "value": tagged(f("changes.parcels")),
            "note": say(
                "card.changes_note",
                events=tagged(f("changes.events")),
                new=tagged(f("changes.new_findings")),
                resolved=tagged(f("changes.resolved_findings")),
            ),
        }
    )
    return cards


def target_card(row) -> dict:
    """One target as a card of index.html (HTML, its numbers tagged as registered figures): done /
    target, the share as a bar, what is left and by when, the measured area of what is done."""
    from .figures import tag
    from .schema import label

    key = row.Index

    def said(figure: str, value, unit: bool = True) -> str:
        return tag(f"target.{figure}", key, value, unit=unit)

    status = html.escape(label(row.status))
    if row.kind == "task":
        note = say(
            "card.task_note",
            done=said("parcels_done", row.parcels_done, unit=False),
            parcels=said("parcels", row.parcels, unit=False),
            status=status,
            remaining=said("remaining_mu", row.remaining_mu),
        )
        if row.due is not None and row.due == row.due:
            note += say("card.due", due=html.escape(str(row.due.date())))
        note += say("card.overdue") if row.overdue else ""
    else:
        note = say("card.stock_note", status=status, done=said("parcels_done", row.parcels_done, unit=False))
        if row.target_mu != row.target_mu:
            note += say("card.stock_no_goal")
        elif row.remaining_mu:
            note += say("card.stock_left", remaining=said("remaining_mu", row.remaining_mu))
    note += say("card.measured", measured=said("done_measured_mu", row.done_measured_mu))
    if row.target_mu == row.target_mu:
        value = f"{said('done_mu', row.done_mu, unit=False)} / {said('target_mu', row.target_mu)}"
    else:
        value = said("done_mu", row.done_mu)
    return {
        "label": html.escape(str(row.name)),
        "value": value,
        "share": row.share if row.share == row.share else None,
        "note": note,
    }


def _stamped(page: str, stamp: Stamp) -> str:
    return page.replace("</body>", f"<!-- {html.escape(stamp.text())} --></body>", 1)


def pace_cards(a) -> list[dict]:
    """The first card of index.html: how many targets with a deadline are behind and which (what each
    needs per month against what the last three full months achieved), and the villages behind
    their batch's deadline; none when the project has neither a deadline nor villages."""
    from .figures import late_villages, tag, tagged

    f = a.figure
    shown = set(a.figures["figure"])
    if "targets.behind" not in shown and "relocation.late_villages" not in shown:
        return []
    notes = []
    goals = a.progress if a.progress is not None and "behind" in a.progress else None
    for key, row in goals[goals["behind"] == True].iterrows() if goals is not None else ():  # noqa: E712
        name = html.escape(str(row["name"]))
        if row["needed_per_month_mu"] == row["needed_per_month_mu"]:
            needed = tag("target.needed_per_month_mu", key, row["needed_per_month_mu"])
            achieved = tag("target.achieved_per_month_mu", key, row["achieved_per_month_mu"])
            notes.append(say("card.pace_target", name=name, needed=needed, achieved=achieved))
        else:
            remaining = tag("target.remaining_mu", key, row["remaining_mu"])
            notes.append(say("card.pace_target_due", name=name, remaining=remaining))
    if "relocation.late_villages" in shown:
        villages, households = f("relocation.late_villages"), f("relocation.late_households")
        said = say("card.pace_villages", villages=tagged(villages), households=tagged(households))
        names = [html.escape(str(n)) for n in late_villages(a)["name"]]
        if names:  # which, by name (the first ten)
            said += say(
                "card.pace_named", names=say("ledger.list_sep").join(names[:10]) + ("…" if len(names) > 10 else "")
            )
        notes.append(said)
    behind = tagged(f("targets.behind")) if "targets.behind" in shown else "—"
    if "targets.behind" in shown and not f("targets.behind").value:
        notes.insert(0, say("card.pace_none"))
    return [{"label": say("card.pace"), "value": behind, "note": say("card.pace_sep").join(notes)}]
