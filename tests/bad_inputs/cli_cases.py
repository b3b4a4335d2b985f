"""Bad command lines: every command and option of the CLI given what a hostile or hurried user gives it.

Each case names the files it needs (made here, in a temporary folder, from the sample), the
command line, the exit code and a phrase the output must hold, and the API call behind the
command with the phrase its error must hold. The README's table of bad command lines is this list.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

import landkit

XSS = "<img src=x onerror=alert(1)>"


@dataclass(frozen=True)
class CliCase:
    name: str
    what: str
    args: tuple[str, ...]  # {project}, {tmp} and the names files() returns are filled in
    expect: tuple[int, str]  # exit code, phrase in the output
    files: Callable[[Path], dict[str, Path]] = field(default=lambda tmp: {})
    api: Callable[[dict[str, Path]], object] | None = None  # the library call; must raise with the phrase
    changes_project: bool = False
    may_change: tuple[str, ...] = ()  # other files the command may write (an output given --overwrite)


def _sample(tmp: Path) -> Path:
    path = tmp / "project.gpkg"
    shutil.copy(landkit.SAMPLE_PATH, path)
    return path


def _layers() -> dict:
    return landkit.read_project(landkit.SAMPLE_PATH)


def _submitted() -> str:
    p = landkit.read_layer(landkit.SAMPLE_PATH, "parcels")
    return str(p.index[p["status"] == "submitted"][0])


def _text(name: str, content: str | bytes) -> Callable[[Path], dict[str, Path]]:
    def make(tmp: Path) -> dict[str, Path]:
        path = tmp / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return {"file": path}

    return make


def _shapefile(name: str, *, drop: str | None = None, cpg: str | None = "UTF-8", crs="EPSG:4547", n: int = 2,
               encoding: str = "UTF-8") -> Callable[[Path], dict[str, Path]]:  # fmt: skip
    def make(tmp: Path) -> dict[str, Path]:
        names = ["张三", "李四"] * (n // 2) + ["王五"] * (n % 2)
        frame = gpd.GeoDataFrame(
            {"户主": names},
            geometry=[shapely.box(400000 + 30 * i, 3736000, 400025 + 30 * i, 3736025) for i in range(n)],
            crs=crs,
        )
        path = tmp / f"{name}.shp"
        pyogrio.write_dataframe(frame, path, encoding=encoding)
        cpg_file = path.with_suffix(".cpg")
        if cpg is None:
            cpg_file.unlink(missing_ok=True)
        else:
            cpg_file.write_text(cpg)
        if drop == ".shp-empty":
            path.write_bytes(b"")
        elif drop:
            path.with_suffix(drop).unlink()
        return {"file": path}

    return make


def _geojson(content: str) -> Callable[[Path], dict[str, Path]]:
    return _text("in.geojson", content)


_FEATURE = '{"type": "Feature", "properties": {"name": "地块"}, "geometry": {"type": "Polygon", "coordinates": [[[112.9, 33.7], [112.901, 33.7], [112.901, 33.701], [112.9, 33.7]]]}}'  # noqa: E501


def _rules(text: str | bytes) -> Callable[[Path], dict[str, Path]]:
    return _text("rules.toml", text)


def _project_with(change: Callable[[dict], None], name: str = "changed") -> Callable[[Path], dict[str, Path]]:
    def make(tmp: Path) -> dict[str, Path]:
        layers = {k: v.copy() for k, v in _layers().items()}
        change(layers)
        path = tmp / f"{name}.gpkg"
        landkit.write_project(layers, path)
        return {"other": path}

    return make


def _one_facility_a_point(layers: dict) -> None:
    f = layers["facilities"]
    f.loc[f.index[0], "geometry"] = f.geometry.iloc[0].centroid


def _link_to_project(tmp: Path) -> dict[str, Path]:
    link = tmp / "link.html"
    link.symlink_to(tmp / "project.gpkg")
    return {"file": link}


def _foreign_pack(tmp: Path) -> dict[str, Path]:
    folder = tmp / "pack"
    folder.mkdir()
    (folder / "index.html").write_text("<html>the planner's own page</html>")
    return {"folder": folder}


def _record_api(**row) -> Callable[[dict], object]:
    return lambda f: landkit.record_events(f["project"], [row])


def _date_case(name: str, value: str, phrase: str) -> CliCase:
    pid = _submitted()
    return CliCase(
        f"record_date_{name}",
        f"`record --date {value or '(empty)'}`",
        ("record", "{project}", pid, "approved", "--date", value),
        (2, phrase),
        api=_record_api(parcel_id=pid, status="approved", date=value),
    )


def _good_date(name: str, value: str) -> CliCase:
    pid = _submitted()
    return CliCase(
        f"record_date_ok_{name}",
        f"`record --date {value}` (accepted)",
        ("record", "{project}", pid, "approved", "--date", value),
        (0, "recorded event"),
        changes_project=True,
    )


def _areas(name: str, what: str, extra: tuple[str, ...], expect: tuple[int, str], api=None) -> CliCase:
    return CliCase(f"areas_{name}", what, ("areas", "{project}", *extra), expect, api=api)


def _audit_output(fmt: str) -> CliCase:
    return CliCase(
        f"audit_{fmt}_over_project",
        f"`audit --format {fmt} -o PROJECT.gpkg` (the output is the input)",
        ("audit", "{project}", "--format", fmt, "-o", "{project}"),
        (2, "an output never replaces an input"),
        api=lambda f: landkit.io.check_output(f["project"], inputs=(f["project"],), overwrite=True),
    )


def _rules_case(name: str, what: str, text: str | bytes, phrase: str) -> CliCase:
    return CliCase(
        f"rules_{name}",
        what,
        ("audit", "{project}", "--quiet", "--rules", "{file}"),
        (2, phrase),
        _rules(text),
        api=lambda f: landkit.audit.load_rules(Path(f["file"]).read_bytes(), source=str(f["file"])),
    )


def _import(name: str, what: str, files, expect, extra: tuple[str, ...] = ()) -> CliCase:
    return CliCase(
        f"import_{name}",
        what,
        ("import", "{file}", "{project}", "--layer", "survey", *extra),
        expect,
        files,
        api=(lambda f: landkit.import_layer(f["file"], f["project"], "survey")) if expect[0] == 2 else None,
        changes_project=expect[0] == 0,
    )


def cases() -> list[CliCase]:
    pid = _submitted()
    village = "410423101011"  # planned
    out: list[CliCase] = []
    # dates, everywhere a date is typed
    for name, value, phrase in (
        ("garbage", "garbage", "is not a date"),
        ("empty", "", "the date is empty"),
        ("hour_25", "2026-12-01T25:00", "is not a date"),
        ("month_13", "2026年13月01日", "not a date of the calendar"),
        ("feb_30", "2026-02-30", "not a date of the calendar"),
        ("day_first", "11/03/2026", "ambiguous"),
        ("day_first_dots", "03.11.2026", "ambiguous"),
        ("year_2099", "2099-01-01", "more than a year ahead"),
        ("digits_only", "20261125", "is not a date"),
        ("words", "昨天", "is not a date"),
    ):
        out.append(_date_case(name, value, phrase))
    for name, value in (
        ("iso", "2026-11-25"),
        ("chinese", "2026年11月25日"),
        ("slashes", "2026/11/25"),
        ("dots", "2026.11.25"),
    ):
        out.append(_good_date(name, value))
    out += [
        CliCase(
            "record_future_flag",
            "`record --date 2099-01-01 --future` (accepted)",
            ("record", "{project}", pid, "approved", "--date", "2099-01-01", "--future"),
            (0, "recorded event"),
            changes_project=True,
        ),
        CliCase(
            "record_unknown_parcel",
            "`record` an unknown parcel",
            ("record", "{project}", "CB99999", "approved", "--date", "2026-11-25"),
            (2, "is not in the project's parcels"),
            api=_record_api(parcel_id="CB99999", status="approved", date="2026-11-25"),
        ),
        CliCase(
            "record_unknown_status",
            "`record` an unknown status",
            ("record", "{project}", pid, "sold", "--date", "2026-11-25"),
            (2, "unknown status 'sold'"),
            api=_record_api(parcel_id=pid, status="sold", date="2026-11-25"),
        ),
        CliCase(
            "record_skip_step",
            "`record` a transition that skips a step",
            ("record", "{project}", pid, "reserved", "--date", "2026-11-25"),
            (2, "is not allowed; next can be"),
            api=_record_api(parcel_id=pid, status="reserved", date="2026-11-25"),
        ),
        CliCase(
            "record_chinese_status",
            "`record … 已批复` (a Chinese status, accepted)",
            ("record", "{project}", pid, "已批复", "--date", "2026-11-25"),
            (0, "recorded event"),
            changes_project=True,
        ),
        CliCase(
            "record_bad_type",
            "`record --type edit`",
            ("record", "{project}", pid, "approved", "--date", "2026-11-25", "--type", "edit"),
            (2, "unknown event type"),
            api=_record_api(parcel_id=pid, status="approved", date="2026-11-25", event_type="edit"),
        ),
        CliCase(
            "record_correction_no_doc",
            "`record --type correction` without `--doc`",
            ("record", "{project}", pid, "approved", "--date", "2026-11-25", "--type", "correction"),
            (2, "needs the document_ref"),
            api=_record_api(parcel_id=pid, status="approved", date="2026-11-25", event_type="correction"),
        ),
        CliCase(
            "record_bad_revocation",
            "`record --type revocation` to the wrong status",
            ("record", "{project}", pid, "planned", "--date", "2026-11-25", "--type", "revocation"),
            (2, "a revocation returns to the status before"),
            api=_record_api(parcel_id=pid, status="planned", date="2026-11-25", event_type="revocation"),
        ),
        CliCase(
            "record_second_opening",
            "`record --type opening` on a parcel with history",
            ("record", "{project}", pid, "approved", "--date", "2026-11-25", "--type", "opening"),
            (2, "opening balance can only be"),
            api=_record_api(parcel_id=pid, status="approved", date="2026-11-25", event_type="opening"),
        ),
        CliCase(
            "record_backdated",
            "`record` dated before the parcel's last event",
            ("record", "{project}", pid, "approved", "--date", "2001-01-01"),
            (2, "before the parcel's last event"),
            api=_record_api(parcel_id=pid, status="approved", date="2001-01-01"),
        ),
        CliCase(
            "record_missing_args",
            "`record PROJECT` with no parcel",
            ("record", "{project}"),
            (2, "record needs PARCEL_ID STATUS --date"),
        ),
        CliCase(
            "record_village_skip",
            "`record --village` a step that skips one",
            ("record", "{project}", village, "moved", "--village", "--date", "2026-11-25"),
            (2, "planned -> moved is not allowed"),
            api=_record_api(village_code=village, status="moved", date="2026-11-25"),
        ),
        CliCase(
            "record_unknown_village",
            "`record --village` an unknown village",
            ("record", "{project}", "000", "agreement_signed", "--village", "--date", "2026-11-25"),
            (2, "is not in the project's villages"),
            api=_record_api(village_code="000", status="agreement_signed", date="2026-11-25"),
        ),
        CliCase(
            "record_from_missing",
            "`record --from` a file that does not exist",
            ("record", "{project}", "--from", "{tmp}/nope.csv"),
            (2, "no such file"),
            api=lambda f: landkit.io.read_table(f["tmp"] / "nope.csv"),
        ),
        CliCase(
            "record_from_not_xlsx",
            "`record --from` a text file named .xlsx",
            ("record", "{project}", "--from", "{file}"),
            (2, "cannot be read as a table"),
            _text("e.xlsx", "not a workbook"),
            api=lambda f: landkit.io.read_table(f["file"]),
        ),
        CliCase(
            "record_from_pdf",
            "`record --from` a file that is not CSV or XLSX",
            ("record", "{project}", "--from", "{file}"),
            (2, "give a .csv or .xlsx file"),
            _text("e.pdf", "%PDF-1.4"),
            api=lambda f: landkit.io.read_table(f["file"]),
        ),
        CliCase(
            "record_from_bad_rows",
            "`record --from` a CSV with bad rows (the whole batch is refused)",
            ("record", "{project}", "--from", "{file}"),
            (2, "2 of 3 event(s) refused; nothing was recorded"),
            _text(
                "e.csv", f"地块编号,日期,新状态\n{pid},2026-11-25,已批复\nCB99999,2026-11-25,已批复\n{pid},,已入库\n"
            ),
            api=lambda f: landkit.record_events(f["project"], landkit.io.read_table(f["file"])),
        ),
        CliCase(
            "record_from_no_key",
            "`record --from` a CSV without a parcel or village column",
            ("record", "{project}", "--from", "{file}"),
            (2, "name no parcel_id"),
            _text("e.csv", "a,b\n1,2\n"),
            api=lambda f: landkit.record_events(f["project"], landkit.io.read_table(f["file"])),
        ),
        CliCase(
            "record_from_empty",
            "`record --from` a CSV with a header only",
            ("record", "{project}", "--from", "{file}"),
            (0, "holds no events"),
            _text("e.csv", "地块编号,日期,新状态\n"),
        ),
        CliCase(
            "record_from_gbk",
            "`record --from` a CSV saved by Excel in GBK (accepted)",
            ("record", "{project}", "--from", "{file}"),
            (0, "recorded 1 event"),
            _text("e.csv", f"地块编号,日期,新状态\r\n{pid},2026/11/25,已批复\r\n".encode("gbk")),
            changes_project=True,
        ),
        CliCase(
            "record_from_and_id",
            "`record PARCEL STATUS --from FILE` (both)",
            ("record", "{project}", pid, "approved", "--from", "{file}"),
            (2, "not both"),
            _text("e.csv", "地块编号\n"),
        ),
        CliCase(
            "record_xss_note",
            "`record --note` with an XSS payload (stored as text)",
            ("record", "{project}", pid, "approved", "--date", "2026-11-25", "--note", XSS),
            (0, "recorded event"),
            changes_project=True,
        ),
        CliCase(
            "record_formula_doc",
            "`record --doc =HYPERLINK(…)` (stored as text)",
            ("record", "{project}", pid, "approved", "--date", "2026-11-25", "--doc", '=HYPERLINK("http://x")'),
            (0, "recorded event"),
            changes_project=True,
        ),
    ]
    # areas
    out += [
        _areas(
            "planar_no_zone",
            "`areas --method planar` without `--zone`",
            ("--method", "planar"),
            (2, "needs the projection"),
            api=lambda f: landkit.area(landkit.read_layer(f["project"], "parcels"), method="planar"),
        ),
        _areas(
            "zone_unknown",
            "`areas --zone EPSG:NOPE`",
            ("--method", "planar", "--zone", "EPSG:NOPE"),
            (2, "is not a CRS PROJ knows"),
            api=lambda f: landkit.area(landkit.read_layer(f["project"], "parcels"), method="planar", zone="EPSG:NOPE"),
        ),
        _areas(
            "zone_degrees",
            "`areas --method planar --zone EPSG:4490` (degrees)",
            ("--method", "planar", "--zone", "EPSG:4490"),
            (2, "is not a projection"),
            api=lambda f: landkit.area(landkit.read_layer(f["project"], "parcels"), method="planar", zone="EPSG:4490"),
        ),
        _areas(
            "zone_mercator",
            "`areas --method planar --zone EPSG:3857` (warned, exit 0)",
            ("--method", "planar", "--zone", "EPSG:3857"),
            (0, "too large"),
        ),
        _areas(
            "zone_far",
            "`areas --method planar --zone EPSG:4546` (the neighbouring zone: warned)",
            ("--method", "planar", "--zone", "EPSG:4546"),
            (0, "from the central meridian"),
        ),
        _areas(
            "lines",
            "`areas --layer roads` (a line layer)",
            ("--layer", "roads"),
            (2, "areas are measured on polygon layers"),
            api=lambda f: landkit.measure.area_report(landkit.read_layer(f["project"], "roads")),
        ),
        CliCase(
            "areas_points",
            "`areas --layer facilities` (a point among polygons: only polygons measured)",
            ("areas", "{other}", "--layer", "facilities"),
            (0, "not a polygon: not in the total"),
            _project_with(_one_facility_a_point),
        ),
        _areas(
            "table",
            "`areas --layer events` (a table)",
            ("--layer", "events"),
            (2, "a table without geometry has no area"),
        ),
        _areas(
            "no_layer",
            "`areas --layer nope`",
            ("--layer", "nope"),
            (2, "there is no layer 'nope'"),
            api=lambda f: landkit.read_layer(f["project"], "nope"),
        ),
        _areas("no_id", "`areas --id nope`", ("--id", "nope"), (2, "no column 'nope' for --id")),
        _areas("bad_unit", "`areas --unit acre`", ("--unit", "acre"), (2, "'--unit' 的值无效")),
        _areas("bad_method", "`areas --method exact`", ("--method", "exact"), (2, "'--method' 的值无效")),
        _areas("bad_format", "`areas --format xlsx`", ("--format", "xlsx"), (2, "'--format' 的值无效")),
        _areas(
            "cn2008",
            "`areas --method cn2008 --unit km2` (accepted)",
            ("--method", "cn2008", "--unit", "km2"),
            (0, "TOTAL"),
        ),
        _areas(
            "json", "`areas --format json --unit ha` (accepted)", ("--format", "json", "--unit", "ha"), (0, '"total"')
        ),
        CliCase(
            "areas_formula_ids",
            "`areas` of parcels whose ids start with = + - @ (inert in the CSV)",
            ("areas", "{other}", "--id", "code"),
            (0, "'=1+1"),
            _project_with(
                lambda L: L.__setitem__(
                    "parcels", L["parcels"].assign(code=["=1+1", "+2", "-3", "@x"] * 614 + ["a", "b"])
                )
            ),
        ),
    ]
    # outputs over inputs and foreign files
    out += [
        CliCase(
            "map_over_project",
            "`map -o PROJECT.gpkg` (the output is the input)",
            ("map", "{project}", "-o", "{project}"),
            (2, "an output never replaces an input"),
        ),
        CliCase(
            "map_over_link",
            "`map -o LINK` where the link points to the project",
            ("map", "{project}", "-o", "{file}"),
            (2, "an output never replaces an input"),
            _link_to_project,
        ),
        CliCase(
            "map_over_foreign",
            "`map -o notes.html` over a file landkit did not write",
            ("map", "{project}", "-o", "{file}"),
            (2, "not a file landkit wrote"),
            _text("notes.html", "<p>my notes</p>"),
            api=lambda f: landkit.io.check_output(f["file"]),
        ),
        CliCase(
            "map_over_foreign_ok",
            "`map -o notes.html --overwrite` (accepted)",
            ("map", "{project}", "-o", "{file}", "--overwrite"),
            (0, "wrote"),
            _text("notes.html", "<p>my notes</p>"),
            may_change=("file",),
        ),
        CliCase(
            "map_over_other_project",
            "`map -o other.gpkg` (another project)",
            ("map", "{project}", "-o", "{other}"),
            (2, "a project or source file"),
            _project_with(lambda L: None),
        ),
        CliCase(
            "map_unknown_community",
            "`map --community 火星`",
            ("map", "{project}", "--community", "火星"),
            (2, "LF (露峰社区), HY (汇源社区)"),
            api=lambda f: landkit.maps.find_community(landkit.read_layer(f["project"], "communities"), "火星"),
        ),
        CliCase(
            "map_tianditu_no_key",
            "`map --tiles tianditu` without a key",
            ("map", "{project}", "--tiles", "tianditu", "-o", "{tmp}/m.html"),
            (2, "TIANDITU_KEY"),
        ),
        CliCase("map_bad_lang", "`map --lang fr`", ("map", "{project}", "--lang", "fr"), (2, "'--lang' 的值无效")),
        CliCase(
            "map_output_folder", "`map -o FOLDER`", ("map", "{project}", "-o", "{tmp}"), (2, "是文件夹，这里要的是文件")
        ),
        CliCase(
            "map_community_path",
            "a community id `/../../x/notes` (the file name is made safe)",
            ("map", "{other}"),
            (0, "community-x_notes-"),
            _project_with(
                lambda L: L.__setitem__("communities", L["communities"].rename(index={"LF": "/../../x/notes"}))
            ),
        ),
        *(_audit_output(fmt) for fmt in ("html", "xlsx", "csv", "json")),
        CliCase(
            "audit_xlsx_no_output",
            "`audit --format xlsx` without `-o`",
            ("audit", "{project}", "--format", "xlsx"),
            (2, "give the file with -o"),
        ),
        CliCase(
            "audit_over_foreign",
            "`audit --format csv -o data.csv` over the planner's own CSV",
            ("audit", "{project}", "--format", "csv", "-o", "{file}"),
            (2, "not a file landkit wrote"),
            _text("data.csv", "a,b\n1,2\n"),
        ),
        CliCase(
            "audit_json_to_file",
            "`audit --format json -o audit.json` (written, not printed)",
            ("audit", "{project}", "--format", "json", "-o", "{tmp}/audit.json"),
            (1, "wrote"),
        ),
        CliCase(
            "audit_csv_to_file",
            "`audit --format csv -o audit.csv` (written, with a BOM)",
            ("audit", "{project}", "--format", "csv", "-o", "{tmp}/audit.csv"),
            (1, "wrote"),
        ),
        CliCase(
            "audit_bad_format",
            "`audit --format pdf`",
            ("audit", "{project}", "--format", "pdf"),
            (2, "'--format' 的值无效"),
        ),
        CliCase(
            "report_output_is_file",
            "`report -o FILE`",
            ("report", "{project}", "-o", "{file}"),
            (2, "是文件，这里要的是文件夹"),
            _text("pack.txt", "x"),
        ),
        CliCase(
            "report_foreign_index",
            "`report -o FOLDER` holding the planner's own index.html",
            ("report", "{project}", "-o", "{folder}"),
            (2, "not a file landkit wrote"),
            _foreign_pack,
        ),
        CliCase(
            "report_rules_missing",
            "`report --rules nope.toml`",
            ("report", "{project}", "--rules", "{tmp}/nope.toml"),
            (2, "不存在"),
        ),
        CliCase(
            "sample_over_project",
            "`sample -o PROJECT.gpkg` (a planner's project)",
            ("sample", "-o", "{project}"),
            (2, "would replace its layers"),
        ),
    ]
    # rules files
    out += [
        _rules_case("not_toml", "rules file that is not TOML", "[gap\nseverity=", "not valid TOML"),
        _rules_case(
            "unknown_rule", "rules file with an unknown rule", "[gaps]\nseverity = 'error'\n", "unknown rule [gaps]"
        ),
        _rules_case(
            "unknown_key", "rules file with an unknown setting", "[gap]\nwidth = 2\n", "has no setting 'width'"
        ),
        _rules_case(
            "text_number", "rules file with a number in quotes", "[gap]\nmax_width_m = '2'\n", "must be a number"
        ),
        _rules_case(
            "bool_number", "rules file with true for a number", "[overlap]\nmin_area_m2 = true\n", "must be a number"
        ),
        _rules_case(
            "negative", "rules file with a negative threshold", "[overlap]\nmin_area_m2 = -1\n", "must be zero or more"
        ),
        _rules_case(
            "zero_scale", "rules file with map_scale = 0", "[area_mismatch]\nmap_scale = 0\n", "must be positive"
        ),
        _rules_case(
            "bad_severity",
            "rules file with severity = 'fatal'",
            "[gap]\nseverity = 'fatal'\n",
            "severity must be one of",
        ),
        _rules_case(
            "all_at_once",
            "rules file with three mistakes (all listed)",
            "[gap]\nseverity = 'fatal'\nmax_width_m = -2\n[nope]\nx = 1\n",
            "unknown rule [nope]",
        ),
        CliCase(
            "rules_gbk",
            "rules file saved in GB18030 with Chinese comments (accepted)",
            ("audit", "{project}", "--quiet", "--rules", "{file}"),
            (1, "条问题"),
            _rules('# 间隙规则\n[gap]\nseverity = "error"\n'.encode("gb18030")),
        ),
        CliCase(
            "rules_folder",
            "`--rules` given a folder",
            ("audit", "{project}", "--rules", "{tmp}"),
            (2, "是文件夹，这里要的是文件"),
        ),
    ]
    # imports
    out += [
        _import(
            "missing", "`import` a source that does not exist", lambda t: {"file": t / "nope.shp"}, (2, "no such file")
        ),
        _import("folder", "`import` a folder", lambda t: {"file": t}, (2, "is a folder")),
        _import(
            "text_file",
            "`import` a text file",
            _text("notes.txt", "just text"),
            (2, "not a survey-exchange coordinate file"),
        ),
        _import(
            "truncated_geojson",
            "`import` a truncated GeoJSON",
            _geojson('{"type": "FeatureCollection", "features": [' + _FEATURE[:60]),
            (2, "not a file GDAL can read"),
        ),
        _import(
            "geojson_no_features",
            "`import` a GeoJSON with no features",
            _geojson('{"type": "FeatureCollection", "features": []}'),
            (2, "holds no features"),
        ),
        _import("no_shx", "`import` a Shapefile without its .shx", _shapefile("a", drop=".shx"), (2, "the .shx file")),
        _import("no_dbf", "`import` a Shapefile without its .dbf", _shapefile("b", drop=".dbf"), (2, "the .dbf file")),
        _import("empty_shp", "`import` a 0-byte .shp", _shapefile("c", drop=".shp-empty"), (2, "the file is empty")),
        _import(
            "no_prj",
            "`import` a Shapefile without its .prj",
            _shapefile("d", drop=".prj"),
            (2, "no coordinate reference system"),
        ),
        _import(
            "wrong_cpg",
            "`import` a GBK Shapefile whose .cpg says 1252",
            _shapefile("e", cpg="1252", encoding="GBK"),
            (2, "reads as Chinese only in GB18030"),
        ),
        _import(
            "cpg_says_utf8",
            "`import` a GBK Shapefile whose .cpg says UTF-8",
            _shapefile("f", cpg="UTF-8", encoding="GBK"),
            (2, "reads as Chinese only in GB18030"),
        ),
        _import(
            "utf8_many",
            "`import` a UTF-8 Shapefile without .cpg, 200 records (accepted, read as UTF-8)",
            _shapefile("g", cpg=None, n=200),
            (0, "imported 200 features"),
        ),
        _import(
            "xian80",
            "`import` a layer in Xi'an 1980 (EPSG:2383)",
            _shapefile("h", crs="EPSG:2383"),
            (2, "Xian 1980 datum"),
        ),
        _import(
            "xian80_ballpark",
            "`import` Xi'an 1980 `--accept-ballpark` (accepted)",
            _shapefile("i", crs="EPSG:2383"),
            (0, "imported"),
            ("--accept-ballpark",),
        ),
        _import(
            "xian80_params",
            "`import` Xi'an 1980 `--datum-transform +towgs84=…` (accepted)",
            _shapefile("j", crs="EPSG:2383"),
            (0, "imported"),
            ("--datum-transform", "+towgs84=24,-123,-94,0.02,-0.25,-0.13,1.1"),
        ),
        CliCase(
            "import_bad_transform",
            "`import --datum-transform` that PROJ cannot run",
            ("import", "{file}", "{project}", "--layer", "survey", "--datum-transform", "+proj=nonsense"),
            (2, "is not a transformation PROJ can run"),
            _shapefile("k", crs="EPSG:2383"),
            api=lambda f: landkit.import_layer(f["file"], f["project"], "survey", datum_transform="+proj=nonsense"),
        ),
        _import(
            "beijing54",
            "`import` a layer in Beijing 1954 (EPSG:2435)",
            _shapefile("l", crs="EPSG:2435"),
            (2, "Beijing 1954 datum"),
        ),
        _import(
            "fid_text",
            "`import` a GeoJSON with a text `fid` property",
            _geojson('{"type": "FeatureCollection", "features": [' + _FEATURE.replace('"name"', '"fid"') + "]}"),
            (2, "Rename the column 'fid'"),
        ),
        CliCase(
            "import_layer_exists",
            "`import` over an existing layer without `--overwrite`",
            ("import", "{file}", "{project}", "--layer", "parcels"),
            (2, "exists already"),
            _shapefile("m"),
        ),
        CliCase(
            "import_history",
            "`import --overwrite` over the ledger (history)",
            ("import", "{file}", "{project}", "--layer", "events", "--overwrite"),
            (2, "append-only"),
            _shapefile("n"),
        ),
        CliCase(
            "import_no_layer_option",
            "`import` without `--layer`",
            ("import", "{file}", "{project}"),
            (2, "缺少选项 '--layer'"),
            _shapefile("o"),
        ),
    ]
    # other commands on incomplete projects and odd options
    out += [
        CliCase(
            "progress_as_of_garbage",
            "`progress --as-of soon`",
            ("progress", "{project}", "--as-of", "soon"),
            (2, "is not a date"),
        ),
        CliCase(
            "progress_as_of_old",
            "`progress --as-of 2000-01-01` (before any event: accepted)",
            ("progress", "{project}", "--as-of", "2000-01-01"),
            (0, "截至 2000-01-01"),
        ),
        CliCase(
            "progress_no_events",
            "`progress` on a project without a ledger",
            ("progress", "{other}"),
            (2, "has no events layer"),
            _project_with(lambda L: L.pop("events")),
        ),
        CliCase(
            "progress_empty_events",
            "`progress` on a project whose ledger is empty",
            ("progress", "{other}"),
            (2, "has an empty events layer"),
            _project_with(lambda L: L.__setitem__("events", L["events"].iloc[:0])),
        ),
        CliCase(
            "relocate_no_villages",
            "`relocate` on a project without villages",
            ("relocate", "{other}"),
            (2, "has no villages layer"),
            _project_with(lambda L: L.pop("villages")),
        ),
        CliCase(
            "relocate_no_zones",
            "`relocate` on a project without planning zones (accepted)",
            ("relocate", "{other}"),
            (0, "relocation plan"),
            _project_with(lambda L: L.pop("planning_zones")),
        ),
        CliCase(
            "relocate_min_part_0",
            "`relocate --min-part 0`",
            ("relocate", "{project}", "--min-part", "0"),
            (2, "'--min-part' 的值无效"),
        ),
        CliCase(
            "relocate_too_small",
            "`relocate` where a batch cannot fit",
            ("relocate", "{other}"),
            (2, "does not fit"),
            _project_with(
                lambda L: L.__setitem__(
                    "communities", L["communities"].assign(capacity_households=100, capacity_people=100)
                )
            ),
        ),
        CliCase(
            "report_no_communities",
            "`report` on a project without communities",
            ("report", "{other}", "-o", "{tmp}/pack"),
            (2, "has no communities layer"),
            _project_with(lambda L: L.pop("communities")),
        ),
        CliCase(
            "report_no_events",
            "`report` on a project without a ledger",
            ("report", "{other}", "-o", "{tmp}/pack"),
            (2, "has no events layer"),
            _project_with(lambda L: L.pop("events")),
        ),
        CliCase(
            "zones_missing",
            "`zones` on a project without planning zones",
            ("zones", "{other}"),
            (2, "there is no layer 'planning_zones'"),
            _project_with(lambda L: L.pop("planning_zones")),
        ),
        CliCase(
            "zones_empty",
            "`zones` on an empty planning_zones layer",
            ("zones", "{other}"),
            (2, "the layer is empty"),
            _project_with(lambda L: L.__setitem__("planning_zones", L["planning_zones"].iloc[:0])),
        ),
        CliCase(
            "sync_no_as_of",
            "`sync --apply` with statuses but no history, no `--as-of`",
            ("sync", "{other}", "--apply"),
            (2, "--as-of DATE"),
            _project_with(lambda L: L.__setitem__("events", L["events"].iloc[:0])),
            api=lambda f: landkit.sync(f["other"], apply=True),
        ),
        CliCase(
            "sync_bad_as_of",
            "`sync --apply --as-of 2026-13-01`",
            ("sync", "{project}", "--apply", "--as-of", "2026-13-01"),
            (2, "not a date of the calendar"),
        ),
        CliCase(
            "info_missing_file", "`info` a file that does not exist", ("info", "{tmp}/nope.gpkg"), (2, "no such file")
        ),
        CliCase("info_folder", "`info` a folder", ("info", "{tmp}"), (2, "is a folder")),
        CliCase(
            "info_shapefile",
            "`info` a Shapefile (not a project)",
            ("info", "{file}"),
            (2, "not a GeoPackage"),
            _shapefile("p"),
        ),
        CliCase(
            "areas_id_geometry",
            "`areas --id geometry`",
            ("areas", "{project}", "--id", "geometry"),
            (2, "no column 'geometry' for --id"),
        ),
        CliCase(
            "areas_planar_feet",
            "`areas --method planar --zone EPSG:2229` (a zone in US feet: square metres all the same)",
            ("areas", "{project}", "--method", "planar", "--zone", "EPSG:2229", "--unit", "m2"),
            (0, "planar (EPSG:2229"),
        ),
        _rules_case(
            "huge_width", "rules file with max_width_m = 1e308", "[gap]\nmax_width_m = 1e308\n", "must be at most"
        ),
        _rules_case(
            "inf_area", "rules file with min_area_m2 = inf", "[overlap]\nmin_area_m2 = inf\n", "must be at most"
        ),
        CliCase(
            "record_from_two_id_columns",
            "`record --from` a CSV with both 地块编号 and parcel_id",
            ("record", "{project}", "--from", "{file}"),
            (2, "both give parcel_id"),
            _text("e.csv", "地块编号,parcel_id,日期,新状态\nCB00944,CB00946,2026-11-25,已批复\n"),
            api=lambda f: landkit.record_events(f["project"], landkit.io.read_table(f["file"])),
        ),
        CliCase(
            "record_from_parcels_and_villages",
            "`record --from` a CSV naming both parcels and villages",
            ("record", "{project}", "--from", "{file}"),
            (2, "both parcels"),
            _text("e.csv", "地块编号,村代码,日期,新状态\nCB00944,410423101011,2026-11-25,已批复\n"),
        ),
        _import(
            "metres_as_degrees",
            "`import` a GeoJSON of Gauss-Krueger metres with no crs member (read as lon/lat)",
            _geojson(
                '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"n": 1}, "geometry": '
                '{"type": "Polygon", "coordinates": [[[400000, 3736000], [400100, 3736000], [400100, 3736100], '
                "[400000, 3736000]]]}}]}"
            ),
            (2, "become infinite or NaN"),
        ),
        CliCase("unknown_command", "`landkit frobnicate`", ("frobnicate",), (2, "没有 'frobnicate' 这个命令")),
    ]
    return out


def fill(args: tuple[str, ...], files: dict[str, Path]) -> list[str]:
    """The command line with its placeholders filled in."""
    return [a.format(**{k: str(v) for k, v in files.items()}) for a in args]


if __name__ == "__main__":
    print(json.dumps([c.name for c in cases()], indent=2))
