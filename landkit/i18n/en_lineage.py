"""English words of parcel lineage (`landkit resurvey`, `landkit history`); Chinese: zh_lineage.py."""

MESSAGES: dict[str, str] = {
    # the commands
    "cmd.resurvey.short": "Split, merge or re-survey parcels from a survey delivery (the old ones kept as history)",
    "cmd.resurvey.help": (
        "Apply a survey delivery: each new parcel has parcel_id and replaces (the ids it replaces, separated "
        "by `;`, `；`, `,`, `，` or spaces). 1→1 with the same id is a re-survey, 1→n a split, n→1 a merge, n→m a "
        "re-parcelling. In one transaction: the parents go into parcels_history (with the date, document and "
        "successors), the children into parcels, retired and created events into the ledger, and targets that "
        "list a parent list its children. Checked first: an area change beyond the survey tolerance "
        "(0.0003·M·√P of the area-mismatch rule) needs --accept-area-change; a child overlapping a parcel "
        "outside the delivery, a parent that does not exist or is retired, or an id collision is refused, "
        "with nothing written.\n"
        "Example: landkit resurvey lushan.gpkg --from survey.gpkg --date 2026-12-01 --doc 2026-12"
    ),
    "opt.resurvey.from": "The survey delivery (GeoPackage, Shapefile, GeoJSON or the exchange .txt).",
    "opt.resurvey.layer": "The delivery's layer (default: its first).",
    "opt.resurvey.date": "The date of the change: parents retired, children valid, from this day.",
    "opt.resurvey.doc": "The document the change rests on (kept in the history and the ledger).",
    "opt.resurvey.accept_area_change": "Accept children whose measured total differs beyond the survey tolerance.",
    "opt.resurvey.status": "The children's status (required when the parents' statuses differ).",
    "cmd.history.short": "A parcel's lineage: ancestors, descendants and events",
    "cmd.history.help": (
        "List a parcel's ancestors (the parcels it was split or merged from), descendants (the parcels that "
        "replaced it), the surveys between them and its ledger events.\n"
        "Example: landkit history lushan.gpkg CB00001"
    ),
    "arg.history.parcel": "The parcel's id (today's or retired).",
    "opt.resurvey.rules": "Rules file (TOML): the area-mismatch map scale (survey tolerance) and overlap tolerance.",
    "opt.map.as_of": "Draw the parcels valid on this date (retired ones from the history), with their status then.",
    "opt.print.as_of": "Print the parcels valid on this date (retired ones from the history), with their status then.",
    "opt.export.as_of": "List the parcels valid on this date (retired ones from the history), with their status then.",
    "opt.areas.as_of": "Measure the parcels valid on this date (retired ones from the history); parcels only.",
    "rule.lineage": "lineage",
    "map.parcels_history": "Retired parcels",
    # the command's output
    "cli.resurvey.done": "{path}: on {date} retired {parents} parcels, created {children} (document {doc})",
    "cli.resurvey.group": (
        "  {change}: {parents} → {children}; area {before} → {after} m² ({diff:+,.2f}, tolerance {allowed})"
    ),
    "cli.history.head": "Parcel {id} ({state})",
    "cli.history.current": "current",
    "cli.history.retired": "retired",
    "cli.history.ancestors": "Ancestors: {ids}",
    "cli.history.descendants": "Descendants: {ids}",
    "cli.history.today": "Today's successors: {ids}",
    "cli.history.survey": "  {date} {change}: {parents} → {children} (document {doc})",
    "cli.history.events": "Ledger events:",
    "cli.history.event": "  {date} {kind}: {status} (document {doc})",
    "cli.history.none": "none",
    "lineage.change.resurvey": "re-survey",
    "lineage.change.split": "split",
    "lineage.change.merge": "merge",
    "lineage.change.reparcel": "re-parcelling",
    # refusals
    "lineage.refusal.after_retired": "the parcel is retired; record on its successors",
    "lineage.refusal.retired_status": "a retirement keeps the parcel's status at the time",
    "lineage.refusal.created_not_first": "a creation is a parcel's first event (or follows its retirement)",
    "lineage.retired_parcel": (
        "parcel {key!r} was retired on {date} (document {doc}) and replaced by {successors}; record on those"
    ),
    "lineage.delivery_column": (
        "{path}: the delivery has no {column} column (it has: {have}); add parcel_id and replaces"
    ),
    "lineage.delivery_blank_id": "{path}: feature {row} has no parcel id; fill in parcel_id",
    "lineage.delivery_duplicate": "{path}: parcel id {id} appears twice; one id per new parcel",
    "lineage.delivery_no_replaces": (
        "{path}: parcel {id} has no replaces (the parcels it replaces); bring new parcels in with landkit import"
    ),
    "lineage.delivery_bad_geometry": "{path}: parcel {id} has an empty or invalid geometry; fix it in the delivery",
    "lineage.parent_retired": (
        "{path}: parent {id} was retired on {date} (replaced by {by}); replace its successors instead"
    ),
    "lineage.no_such_parent": "{path}: parent {id} is not in the project; check the ids in replaces",
    "lineage.id_taken": "{path}: the new id {id} is taken by another current parcel; choose another",
    "lineage.id_retired": "{path}: the new id {id} belonged to a retired parcel and ids are not reused; choose another",
    "lineage.recorded_by_resurvey": (
        "retired and created events are written by landkit resurvey from a survey delivery, not recorded by hand"
    ),
    "lineage.area_changed": (
        "{path}: {parents} → {children} measure {before} → {after} m², {diff} m² apart, beyond the survey "
        "tolerance of {allowed} m² ({count} group(s) beyond it); check the delivery, or add --accept-area-change "
        "if the area did change. Nothing was written"
    ),
    "lineage.overlap": (
        "{path}: new parcel {child} overlaps parcel {other} by {m2} m² (beyond the tolerance: misfits within "
        "{snap_m} m are ignored, an overlap must exceed {min_m2} m²); fix the delivery. Nothing was written"
    ),
    "lineage.statuses_differ": (
        "{path}: parents {parents} differ in status ({statuses}); give the children's with --status"
    ),
    "lineage.changed_meanwhile": "{path}: parcel {id} was changed by another program after the checks; run again",
    "lineage.no_parcels": "{path}: the project has no parcels layer",
    "lineage.no_such_parcel": "parcel {id!r} is neither a current parcel nor in the history; check the id",
    "lineage.as_of_layer": "--as-of applies to the parcels layer only ({layer} has no history)",
    "store.lineage_backend": ("{where}: a project of this kind cannot take a resurvey yet; do it in a GeoPackage"),
    "store.no_geometry_column": "layer {layer} has no geometry column",
}
