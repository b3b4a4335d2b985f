"""English words of landkit's library (records), code for code with zh_records.py."""

MESSAGES: dict[str, str] = {
    # the ledgers (ledger.py): the words inside their messages
    "ledger.noun.events": "parcel",
    "ledger.noun.relocation_events": "village",
    "ledger.no_status_yet": "no status",
    "ledger.list_sep": ", ",
    "ledger.and": " and ",
    "ledger.choice": "{value} (`{name}`)",
    "ledger.key_said": "{key} (`{said}`)",
    # dates
    "ledger.date_empty": "the date is empty; write it as 2026-11-27, `2026年11月27日`, 2026/11/27 or 2026.11.27",
    "ledger.date_ambiguous": (
        "the date {value!r} is ambiguous (day and month could be either way round); "
        "write it year first, e.g. 2026-11-03"
    ),
    "ledger.not_a_date": "{value!r} is not a date; write it as 2026-11-27, `2026年11月27日`, 2026/11/27 or 2026.11.27",
    "ledger.not_in_calendar": "{value!r} is not a date of the calendar; check the month and the day",
    "ledger.far_ahead": (
        "the date {date} is more than a year ahead; check the year (or pass --future / future=True for a planned date)"
    ),
    # an event's columns
    "ledger.no_key": "no {column}",
    "ledger.no_status": "no status",
    "ledger.unknown_status": "unknown status {value!r}; use one of {choices}",
    "ledger.unknown_event_type": "unknown event type {value!r}; use one of {choices}",
    "ledger.both_keys": (
        "the events name both parcels (`地块编号`/parcel_id) and villages (`村代码`/village_code); record them apart"
    ),
    "ledger.same_column_twice": "the columns {columns} both give {column}; keep one of them",
    "ledger.no_key_column": "the events name no parcel_id (`地块编号`) or village_code (`村代码`) column; add one",
    # why the lifecycle refuses an event
    "ledger.refusal.unknown_current": (
        "the {noun}'s last recorded status {current!r} is no known status; record a correction (with the document "
        "that orders it) to a known status first"
    ),
    "ledger.refusal.before_last": (
        "the event is dated {date}, before the {noun}'s last event ({last}); events are appended in date order: "
        "record a correction dated today instead"
    ),
    "ledger.refusal.opening_not_first": "an opening balance can only be a {noun}'s first event",
    "ledger.refusal.correction_without_doc": "a correction needs the document_ref (`文号`) that orders it",
    "ledger.refusal.revocation": "a revocation returns to the status before the last one ({previous}), not {status}",
    "ledger.refusal.transition": "{current} -> {status} is not allowed; next can be: {nexts}",
    "ledger.refusal.last_status": "none (the {noun} has reached its last status)",
    # recording
    "ledger.no_layer": (
        "{path}: the project has no {layer} layer (`{name}`); add it (landkit import SOURCE {path} --layer {layer}) "
        "before recording"
    ),
    "ledger.row": "row {n}: {reason}",
    "ledger.unknown_parcel": "parcel {key!r} is not in the project's parcels; check the id",
    "ledger.unknown_village": "village {key!r} is not in the project's villages; check the id",
    "ledger.refused": "{key}: {reason}",
    "ledger.refused_before_opening": (
        "{reason} (it has no events yet and its layer says `{status}`: record that first with event type opening, "
        "or run `landkit sync {path} --apply --as-of DATE`)"
    ),
    "ledger.nothing_recorded": "{path}: {reason}; nothing was recorded",
    "ledger.refused_rows": "{path}: {refused} of {total} event(s) refused; nothing was recorded:{rows}",
    "ledger.and_more": "\n  … and {count} more",
    "ledger.event_id_text": (
        "{path}: {table}.event_id holds text ({value!r}); event ids are sequence numbers 1, 2, 3 …: renumber them in "
        "the source and import the table again"
    ),
    # sync
    "ledger.sync_unknown": (
        "{path}: {count} {noun}(s) have a {column} that is no known status: {found}; use one of {statuses} (or their "
        "Chinese names), then sync again"
    ),
    "ledger.sync_needs_as_of": (
        "{path}: {count} {noun}(s) have a status but no event; give the date of their opening balance with "
        "--as-of DATE (as_of=)"
    ),
    # what the commands print (cli/*.py)
    "cli.identity.file": "file sha256",
    "cli.identity.content": "content sha256",
    "cli.none": "none",
    "cli.yes": "yes",
    "cli.report.wrote": "wrote the meeting pack to {path}",
    "cli.wrote": "wrote {path}",
    "cli.in_project": "{path}: {reason}",
    "cli.layer_count": "{count} {layer}",
    "cli.sample.wrote": "wrote {project}: {counts}; {identity} {sha}",
    "cli.info.project": "{project}  ({identity} {sha})",
    "cli.info.layer": "layer",
    "cli.info.features": "features",
    "cli.info.geometry": "geometry",
    "cli.info.crs": "crs",
    "cli.info.table": "table",
    "cli.info.not_a_layer": "  (not a project layer)",
    "cli.info.problems": "validation: {count} problem(s)",
    "cli.info.ok": "validation: ok, the project follows the project-file contract",
    "cli.import.done": "imported {count} features from {source} into {project}, layer {layer}",
    "cli.push.done": "pushed {source} to {url}: {counts}",
    "cli.pull.done": "wrote {output} from {url}: {counts}",
    "cli.grant.no_role": "name a --reader role, a --recorder role, or both",
    "cli.grant.reader": "reader {name}",
    "cli.grant.recorder": "recorder {name}",
    "cli.grant.done": "granted {roles} on {url}; give them to people with GRANT role TO person",
    "cli.export.not_a_table_file": "{path}: give an .xlsx, a .csv or a .txt (survey-exchange text) file",
    "cli.progress.see_audit": " (run `landkit audit` for every check)",
    "cli.progress.header": "reserve ledger of {path} as of {date} ({method})",
    "cli.progress.targets": "targets (done / target; `--target ID` lists a target's parcels)",
    "cli.progress.no_targets": "the project has no targets (targets table)",
    "cli.progress.idle": "idle land: {count} parcels, {mu} mu",
    "cli.progress.target_named": "{id} (`{name}`)",
    "cli.progress.no_such_target": "no target {target!r}; the project's targets are {known}",
    "cli.progress.target_done": "{target}: {done} / {total} parcels done, {mu} mu",
    "cli.record.both": "give either PARCEL_ID STATUS --date or --from FILE, not both",
    "cli.record.needs": "record needs PARCEL_ID STATUS --date DATE (or --from FILE.csv|xlsx)",
    "cli.record.batch": "recorded {count} event(s) from {source} into {path} (event ids {first}-{last})",
    "cli.record.empty": "{source} holds no events; nothing was recorded",
    "cli.record.done": "recorded event {event_id}: {id} -> {status} on {date}",
    "cli.sync.opening": "{layer}: {id} opening balance at {status}",
    "cli.sync.unknown": "{layer}: {id} has status {status!r}, which is no known status",
    "cli.sync.status": "{layer}: {id} {was} -> {now}",
    "cli.sync.changed": "{count} change(s) changed",
    "cli.sync.would_change": "{count} change(s) would change; run again with --apply",
    "cli.sync.no_change": "{count} change(s) would change",
    "cli.relocate.header": (
        "relocation plan for {path}: villages already on the move (fixed) keep their community; the rest are placed "
        "batch by batch, fewest splits first, then least household-km"
    ),
    "cli.relocate.totals": "totals: {households} households, {people} people, {km} household-km",
    "cli.relocate.capacity": "capacity as targeted in the villages layer",
    "cli.relocate.progress": "progress by batch",
    "cli.col.village_code": "village_code",
    "cli.col.name": "name",
    "cli.col.batch": "batch",
    "cli.col.community_id": "community_id",
    "cli.col.households": "households",
    "cli.col.people": "people",
    "cli.col.distance_km": "distance_km",
    "cli.col.fixed": "fixed",
    "cli.col.household_km": "household_km",
    "cli.col.through_batch": "through_batch",
    "cli.col.capacity_people": "capacity_people",
    "cli.col.capacity_households": "capacity_households",
    "cli.col.over": "over",
    "cli.col.villages_by_status": "villages_{status}",
    "cli.col.households_by_status": "households_{status}",
    "cli.measure.no_geometry": "{path}, layer {layer!r}: a table without geometry has no area; choose a polygon layer",
    "cli.measure.empty": "{path}, layer {layer!r}: the layer is empty (0 features); there is nothing to measure",
    "cli.measure.no_id_column": "{path}, layer {layer!r}: no column {column!r} for --id; the columns are {columns}",
    "cli.measure.crs": "{path}, layer {layer!r}: {reason}",
    "cli.areas.total": "TOTAL",
    "cli.areas.area_m2": "area_m2",
    "cli.areas.area_mu": "area_mu",
    "cli.areas.area_ha": "area_ha",
    "cli.areas.area_km2": "area_km2",
    "cli.areas.note": "note",
    "cli.areas.features": "{count} features",
    "cli.areas.method": "area_method",
    "cli.zones.header": "planning zones of {path} ({method})",
    # relocation.py, reserve.py
    "relocation.over_capacity": (
        "{community}: villages already on the move need {households} households / {people} people more than its "
        "capacity; raise the capacity or revise the facts"
    ),
    "relocation.batch_does_not_fit": (
        "batch {batch} does not fit: it needs {households} households and {people} people; the communities have "
        "{left_households} households and {left_people} people left. Raise capacity or move villages to a later batch"
    ),
    "reserve.not_a_target": (
        "target {target}: kind {kind!r} and status {status!r} are not a target; use kind task (`任务`) or stock "
        "(`存量`) and a parcel status: {statuses}"
    ),
    "reserve.until_before_since": "--until {until} is before --since {since}",
    # -- a problem with the project file (landkit.checks.Problem.text) --------------------------------
    "problem.line": "{where}: {problem}. Fix: {fix}.",
    "problem.features": "{where} (feature {shown}{more})",
    "problem.more": " and {n} more",
    # -- landkit audit, landkit changes ----------------------------------------------------------------
    "cli.audit.summary": "{path}: {count} finding(s), {severities}",
    "cli.audit.parcels": "parcels: {count} features, {mu:,.2f} mu ellipsoidal",
    "cli.changes.head": "{path}: changes {period}: {events} events, {parcels} parcels changed status",
    "cli.changes.empty": "(no parcel on the ledger)",
    "cli.changes.parcel": "  {id}: {was} -> {now}, {mu:,.2f} mu",
    "cli.changes.none": "none",
    "cli.changes.findings": "new findings: {new}, resolved: {resolved}",
    "cli.changes.new": "new",
    "cli.changes.resolved": "resolved",
    # batch headers and names (issue 28: names everywhere)
    "ledger.unknown_headers": (
        "the events have {count} header(s) landkit does not know: {headers}; use these headers (one of each group): "
        "{expected}"
    ),
    "ledger.header_at": "column {column} {header}",
    "ledger.header_meant": "column {column} {header} (a stray space: write {meant})",
    "ledger.header_blank": "(no header, yet values below it)",
    "ledger.no_such_village": (
        "village {key!r} is not in the project's villages (neither a village code nor a name); the project has "
        "{count}: {names}"
    ),
    "ledger.name_not_code": (
        "the village name {name!r} and the village code {key} are not the same village; check both columns"
    ),
    # pace: what each deadline needs per month, against the ledger's last three full months
    "pace.heading": "Pace (the last three full months: {since} to {until}, by the ledger's event dates)",
    "pace.no_deadlines": "  no target has a deadline",
    "pace.row": (
        "  {name}: due {due}, {remaining} mu remaining, {months} months left, needs {needed} mu a month, achieved "
        "{achieved} mu a month over the last three months: {verdict}"
    ),
    "pace.row_due": (
        "  {name}: due {due}, reached, {remaining} mu remaining, achieved {achieved} mu a month over the last three "
        "months: {verdict}"
    ),
    "pace.behind": "behind",
    "pace.on_pace": "on pace",
    "pace.unknown": "cannot tell (no target figure)",
    "pace.late_villages": (
        "Villages behind (their batch's deadline passed, not moved): {count}, {households} households"
    ),
    "pace.late_village": (
        "  {village} {name}: batch {batch}, due {due}, {status}, {households} households, {days} days late"
    ),
    # Chinese by default in info and areas: geometry types, the features an area report leaves out
    "geometry.Point": "Point",
    "geometry.MultiPoint": "MultiPoint",
    "geometry.LineString": "LineString",
    "geometry.MultiLineString": "MultiLineString",
    "geometry.Polygon": "Polygon",
    "geometry.MultiPolygon": "MultiPolygon",
    "geometry.GeometryCollection": "GeometryCollection",
    "measure.excluded.no_geometry": "no geometry: not in the total",
    "measure.excluded.not_polygon": "not a polygon: not in the total",
    "measure.excluded.misplaced": (
        "coordinates its CRS cannot hold (outside the county or the CRS's area of use): not in the total"
    ),
    "measure.excluded.invalid": "invalid geometry: not in the total",
}
