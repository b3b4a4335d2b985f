"""The command line in English (``--lang en`` or ``LANDKIT_LANG=en``): the same codes as zh.py.

Chinese appears here only inside backticks: values a planner types as they are (a status, a
village's name, a date) and the names of the control lines. tests/test_i18n.py holds it to that.
click's own words keep click's wording.
"""

MESSAGES: dict[str, str] = {
    # click's own words, in help pages
    "click.usage": "Usage:",
    "click.options": "Options:",
    "click.commands": "Commands:",
    "click.arguments": "Positional arguments:",
    "click.options_metavar": "[OPTIONS]",
    "click.command_metavar": "COMMAND [ARGS]...",
    "click.help": "Show this message and exit.",
    "click.version": "Show the version and exit.",
    "click.default": "default: {value}",
    "click.required": "required",
    "click.envvar": "env var: {names}",
    "click.separator": "; ",
    # click's usage errors
    "usage.no_such_command": "No such command {name}.",
    "usage.no_such_option": "No such option {name}.",
    "usage.did_you_mean": " (Did you mean {names}?)",
    "usage.missing_argument": "Missing argument {name}.",
    "usage.missing_option": "Missing option {name}.",
    "usage.missing_parameter": "Missing parameter {name}.",
    "usage.missing_command": "Missing command.",
    "usage.invalid_value": "Invalid value for {param}: {message}",
    "usage.invalid_value_plain": "Invalid value: {message}",
    "usage.not_a_choice": "{value} is not one of {choices}.",
    "usage.not_in_range": "{value} is not in the range {range}.",
    "usage.not_an_integer": "{value} is not a valid integer.",
    "usage.not_a_number": "{value} is not a valid number.",
    "usage.path_missing": "{kind} {name} does not exist.",
    "usage.path_is_dir": "{kind} {name} is a directory.",
    "usage.path_is_file": "{kind} {name} is a file.",
    "usage.path_unreadable": "{kind} {name} is not readable.",
    "usage.kind.file": "File",
    "usage.kind.directory": "Directory",
    "usage.kind.path": "Path",
    "usage.needs_value": "Option {name} requires an argument.",
    "usage.needs_values": "Option {name} requires {count} arguments.",
    "usage.takes_no_value": "Option {name} does not take a value.",
    "usage.extra_args": "Got unexpected extra arguments ({args}).",
    "usage.other": "{message}",
    # the error guard's lines
    "guard.error": "landkit: error: {message}",
    "guard.usage": "landkit: error: {message} (see `{help}`)",
    "guard.warning": "landkit: warning: {message}",
    "guard.interrupted": "landkit: interrupted; nothing half-written was left behind",
    "guard.terminated": "landkit: terminated; nothing half-written was left behind",
    "guard.os_error": "landkit: error: {where}{reason}; nothing half-written was left behind",
    "guard.bug": "landkit: internal error while running `{command}` ({kind}: {said}). This is a landkit bug: {where}",
    "guard.report_with": "please report it with {crash}",
    "guard.report_without": (
        "please report it (no crash file could be written; `landkit --debug …` shows the traceback)"
    ),
    # arguments
    "arg.project": "The project: a GeoPackage, or a postgresql:// URL.",
    "arg.import.source": "The Shapefile, GeoJSON or survey-exchange text (.txt) to import (only read).",
    "arg.import.project": "The project to import into: a GeoPackage, or a postgresql:// URL.",
    "arg.push.source": "The project to copy: a GeoPackage, or a postgresql:// URL.",
    "arg.push.url": "The database to copy it into: postgresql://user@host/db?schema=name",
    "arg.database": "The project in a database: postgresql://user@host/db?schema=name",
    "arg.pull.output": "The GeoPackage to write, or another postgresql:// URL.",
    "arg.record.feature_id": (
        "The parcel's id (with --village, the village: its code, its name with or without `村`, or pinyin)."
    ),
    "arg.record.status": "The new status, in English or Chinese, e.g. approved or `已批复`.",
    # options several commands share
    "opt.debug": "Show the full traceback of an internal error instead of a crash file.",
    "opt.lang": "Language of the output and of this help: zh Chinese, en English; if not given, LANDKIT_LANG, else zh.",
    "opt.format": "Output format.",
    "opt.rules": "TOML file overriding rule severities and thresholds (UTF-8 or GB18030).",
    "opt.overwrite": "Replace an existing file that landkit did not write.",
    # sample, info, import
    "opt.sample.output": "Where to copy the sample: a new GeoPackage, or a postgresql:// URL (a new schema).",
    "opt.sample.overwrite": "Replace the layers of an existing project with the sample's.",
    "opt.import.layer": "Project layer to write, e.g. parcels.",
    "opt.import.encoding": "Text encoding of a Shapefile (default: detect).",
    "opt.import.overwrite": "Replace the layer if the project has it.",
    "opt.import.datum_transform": "From Xi'an 1980 / Beijing 1954: '+towgs84=dx,dy,dz,rx,ry,rz,ds' or a PROJ pipeline.",
    "opt.import.accept_ballpark": "Accept PROJ's ballpark datum shift (tens of metres off).",
    # the database
    "opt.push.overwrite": "Replace the layers a schema already has (its ledgers only gain events).",
    "opt.pull.overwrite": "Replace an existing GeoPackage.",
    "opt.grant.reader": "A role that may read the project.",
    "opt.grant.recorder": "A role that may also record events (and set statuses).",
    # measuring
    "opt.areas.layer": "Polygon layer to measure.",
    "opt.areas.unit": "Area unit: mu, ha (hectares), m2 or km2.",
    "opt.areas.method": "Ellipsoidal (CGCS2000), the 2008 formula (cn2008), or planar in --zone.",
    "opt.areas.zone": "Projection for --method planar, e.g. EPSG:4547.",
    "opt.areas.densify": "cn2008: densify edges to this many metres first (default: the vertices as given).",
    "opt.areas.id": "Id column, when not the project file's.",
    "opt.zones.rules": "The audit's rules file: the tolerances of the control lines (`三区三线`): snap_m, min_area_m2.",
    # the audit
    "opt.audit.output": "Write to this file instead of the screen (needed for xlsx).",
    "opt.audit.quiet": "No progress bar.",
    "opt.audit.partitions": "Check the parcels on dask in this many spatial partitions (needs landkit[dask]).",
    "opt.audit.scheduler": "Address of a dask scheduler to run the partitions on.",
    # the ledgers
    "opt.progress.as_of": "Rebuild the ledger as it stood on this date (YYYY-MM-DD).",
    "opt.progress.target": "List the parcels behind this target (its id or name).",
    "opt.progress.rules": "TOML rules file (its [idle_land] days sets when land is idle, as in the audit).",
    "opt.record.date": "Date of the event: 2026-11-27, `2026年11月27日`, 2026/11/27 or 2026.11.27.",
    "opt.record.type": "transition, revocation, correction or opening (or `状态变更`, `撤销`, `更正`, `期初`).",
    "opt.record.doc": "Document reference (the number of the approval or notice).",
    "opt.record.note": "A note kept with the event.",
    "opt.record.village": "FEATURE_ID is a village (code, name or pinyin): record a relocation step.",
    "opt.record.from": (
        "Record every row of a CSV or XLSX file in one transaction (Chinese headers accepted; bad rows cited by "
        "their Excel row number)."
    ),
    "opt.record.future": "Allow a date more than a year ahead.",
    "opt.sync.apply": "Write the changes (default: only list them).",
    "opt.sync.as_of": "Date of the opening-balance events for features without history.",
    "opt.changes.since": "The start of the period (its events are not included), e.g. 2026-10-31.",
    "opt.changes.until": (
        "The end of the period (default: the data's date); --as-of is the same: the project as of that day "
        "(the parcels valid then)."
    ),
    "opt.relocate.split": "May a village be split between communities?",
    "opt.relocate.min_part": "Smallest part of a split village, in households.",
    # maps, the paper map, QGIS, lists, the pack
    "opt.map.output": "HTML file to write (default: maps/zone.html and one maps/community-ID.html each).",
    "opt.map.community": "Draw only this community: id, name (`露峰`, `露峰社区`) or pinyin (Lufeng).",
    "opt.map.village": "Draw only this village and its parcels: code, name (`沈庄`) or pinyin.",
    "opt.map.zone_version": "Draw only this planning-zone version (1, 2, 3 …).",
    "opt.map.tiles": "Base map; none keeps the map fully offline.",
    "opt.map.tianditu_key": "Your Tianditu key (or TIANDITU_KEY).",
    "opt.qgis.output": "The QGIS project to write, e.g. lushan.qgz (it opens the GeoPackage by relative path).",
    "opt.qgis.no_findings": "Leave the audit's findings out of the project.",
    "opt.qgis.overwrite": "Replace an existing QGIS project.",
    "opt.print.output": "The PDF to write, e.g. plan-A3.pdf.",
    "opt.print.size": "Paper size.",
    "opt.print.village": "Print one village (its code or name, with or without `村`).",
    "opt.print.zone_version": "Print one planning-zone version (1, 2, 3 …).",
    "opt.export.output": "An .xlsx workbook (one sheet per group), a .csv table, or survey-exchange text (.txt).",
    "opt.export.by": "Group by village, status or target.",
    "opt.report.output": "Folder for the meeting pack.",
    "opt.report.overwrite": "Replace files in the folder that landkit did not write.",
    "opt.report.as_of": "Rebuild the pack as the ledgers stood on this date.",
    # the commands: .short in the list of `landkit --help`, .help on the command's own page
    "cmd.main.short": "Land-reserve and resettlement planning",
    "cmd.main.help": (
        "Land-reserve and resettlement planning: project files, exact areas, audits and maps.\n"
        "Start with `landkit sample` (a copy of the illustrative project) and run any command on it; "
        "`landkit COMMAND --help` says how.\n"
        "Chinese by default; English with LANDKIT_LANG=en, or --lang en where a command has it.\n"
        "Example: landkit sample && landkit audit lushan.gpkg"
    ),
    "cmd.sample.short": "Copy the illustrative Lushan sample project",
    "cmd.sample.help": (
        "Copy the illustrative Lushan sample project to OUTPUT.\n"
        "A new file is the bundled file byte for byte, so its stamp is the bundled one's; "
        "a postgresql:// URL gets a new schema.\n"
        "Example: landkit sample -o lushan.gpkg"
    ),
    "cmd.info.short": "Show a project's layers, counts, CRS and validation",
    "cmd.info.help": (
        "Show a project's layers, feature counts, CRS and validation summary (a file or a database).\n"
        "Exit 0 valid, 1 problems, 2 unreadable.\n"
        "Example: landkit info lushan.gpkg --format json"
    ),
    "cmd.import.short": "Copy a Shapefile, GeoJSON or survey-exchange text into a project",
    "cmd.import.help": (
        "Copy a Shapefile or GeoJSON layer, or survey-exchange text (a survey delivery), into a project file\n"
        "(the source is only read).\n"
        "Xi'an 1980 and Beijing 1954 coordinates need --datum-transform, or --accept-ballpark for a rough shift.\n"
        "Example: landkit import villages.shp lushan.gpkg --layer survey"
    ),
    "cmd.push.short": "Copy a project into a PostgreSQL/PostGIS database",
    "cmd.push.help": (
        "Copy a GeoPackage project (or a project in a database) into a PostgreSQL/PostGIS schema, "
        "in one transaction.\n"
        "Example: landkit push lushan.gpkg postgresql:///land?schema=lushan"
    ),
    "cmd.pull.short": "Write a GeoPackage snapshot of a project in a database",
    "cmd.pull.help": (
        "Write a GeoPackage snapshot of a project in PostgreSQL/PostGIS (for the meeting laptop).\n"
        "A postgresql:// URL as OUTPUT copies it into that schema instead.\n"
        "Example: landkit pull postgresql:///land?schema=lushan meeting.gpkg"
    ),
    "cmd.grant.short": "Set up a read-only and a recording role in a database",
    "cmd.grant.help": (
        "Set up a read-only role and a recording role on a project in PostgreSQL (GRANT them to people).\n"
        "Example: landkit grant postgresql:///land?schema=lushan --reader viewer"
    ),
    "cmd.areas.short": "Measure every feature of a polygon layer",
    "cmd.areas.help": (
        "Measure every feature of a polygon layer; totals add up to the parts shown.\n"
        "Features without geometry, with invalid geometry, or with coordinates their CRS cannot hold "
        "are listed and left out of the total.\n"
        "Example: landkit areas lushan.gpkg --unit mu --method cn2008"
    ),
    "cmd.zones.short": "The planning-zone versions: areas, additions, conflicts",
    "cmd.zones.help": (
        "Tabulate the planning-zone versions: areas, what each expansion adds (land, cultivated land, "
        "conflicts with the control lines, `三区三线`), reserve cover.\n"
        "Example: landkit zones lushan.gpkg --format csv"
    ),
    "cmd.audit.short": "Run every check on a project file",
    "cmd.audit.help": (
        "Run every check on a project file.\n"
        "Exit 0 clean, 1 if a finding is an error, 2 if unreadable.\n"
        "Example: landkit audit lushan.gpkg --format xlsx -o audit.xlsx"
    ),
    "cmd.progress.short": "Reserve ledger: totals, targets, idle land, compensation",
    "cmd.progress.help": (
        "Reserve status totals, done / target for each of the project's targets, idle land, compensation; "
        "the pace of each target with a deadline (months left, needed and achieved mu a month, behind) "
        "and the villages behind their batch's deadline.\n"
        "Example: landkit progress lushan.gpkg --as-of 2026-10-31"
    ),
    "cmd.record.short": "Append events to a ledger (checked against the lifecycle)",
    "cmd.record.help": (
        "Append events to a ledger, checked against the lifecycle; the layer's status follows.\n"
        "One event: PATH PARCEL_ID STATUS --date D (statuses in English or Chinese, e.g. `已批复`).\n"
        "Many: PATH --from events.xlsx, with columns parcel_id (or village_code), date, status and optionally "
        "event_type, document_ref, note (Chinese headers accepted; villages also by a `村名` column). "
        "A header landkit does not know (a stray space, as in `备 注`) refuses the batch, "
        "naming the headers there are.\n"
        "Example: landkit record lushan.gpkg CB00944 approved --date 2026-11-27\n"
        "Example: landkit record lushan.gpkg Shenzhuang agreement_signed --village --date 2026-11-27\n"
        "Example: landkit record lushan.gpkg --from events.xlsx"
    ),
    "cmd.sync.short": "Make statuses follow the ledgers (a dry run unless --apply)",
    "cmd.sync.help": (
        "Make parcels.status and villages.relocation_status follow the ledgers (a dry run unless --apply).\n"
        "Example: landkit sync lushan.gpkg --apply"
    ),
    "cmd.changes.short": "What changed in a period",
    "cmd.changes.help": (
        "What changed in a period: events, parcels whose status changed, mu per status, "
        "new and resolved findings.\n"
        "Example: landkit changes lushan.gpkg --since 2026-10-31"
    ),
    "cmd.relocate.short": "The relocation plan: allocation, capacity, progress",
    "cmd.relocate.help": (
        "The relocation plan: allocation to communities, capacity per batch, progress by batch.\n"
        "Example: landkit relocate lushan.gpkg --whole"
    ),
    "cmd.map.short": "Write HTML meeting maps that open offline",
    "cmd.map.help": (
        "Write self-contained HTML meeting maps that open offline from a file.\n"
        "Without -o: into maps/, the zone map and one map per resettlement community.\n"
        "Example: landkit map lushan.gpkg --community Lufeng -o lufeng.html"
    ),
    "cmd.qgis.short": "A QGIS project: styles, a findings layer, an A3 layout",
    "cmd.qgis.help": (
        "Open it in QGIS: landkit's styles into the GeoPackage (yours kept), and a project with the "
        "audit's findings as a layer of their own, an A3 layout and an atlas of the villages.\n"
        "For a database, the project opens its schema (the password is not written into it).\n"
        "Example: landkit qgis lushan.gpkg -o lushan.qgz"
    ),
    "cmd.print.short": "A paper map for the file (a landscape PDF)",
    "cmd.print.help": (
        "A paper map for the file: a landscape PDF with title, legend, scale bar, 1:N, north arrow and credits.\n"
        "Example: landkit print lushan.gpkg -o plan-A3.pdf --size A3"
    ),
    "cmd.export.short": "Parcel lists for field work, or survey-exchange text",
    "cmd.export.help": (
        "Parcel lists for field work, by village, status or target, with the areas every report shows;\n"
        "or survey-exchange text (.txt, GBK, areas in hectares by the 2008 ellipsoidal method).\n"
        "Example: landkit export lushan.gpkg -o parcels.xlsx --by village\n"
        "Example: landkit export lushan.gpkg -o approval.txt --target T-approval"
    ),
    "cmd.report.short": "Write the meeting pack",
    "cmd.report.help": (
        "Write the meeting pack: maps, the audit as HTML and XLSX, progress charts, a summary page.\n"
        "The pack is built in a temporary folder and moved into place at the end (index.html last): "
        "an interrupted run leaves the previous pack as it was.\n"
        "Example: landkit report lushan.gpkg -o pack"
    ),
}
