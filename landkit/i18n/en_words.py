"""English words of landkit's library (words), code for code with zh_words.py."""

MESSAGES: dict[str, str] = {
    # -- the maps' words: layers, fields, legends, titles (landkit.palette.words) ----------------------
    "map.county": "County",
    "map.zone": "Planning zone",
    "map.added": "added",
    "map.parcels": "Reserve parcels",
    "map.villages": "Villages to relocate",
    "map.communities": "Resettlement communities",
    "map.roads": "Roads",
    "map.facilities": "Facilities",
    "map.findings": "Audit findings",
    "map.id": "ID",
    "map.name": "Name",
    "map.status": "Status",
    "map.stated": "Stated area (mu)",
    "map.measured_mu": "Measured (mu)",
    "map.measured_m2": "Measured (m²)",
    "map.project": "Project",
    "map.village": "Village",
    "map.batch": "Batch",
    "map.households": "Households",
    "map.population": "Population",
    "map.target": "Community",
    "map.length": "Length (km)",
    "map.kind": "Kind",
    "map.rule": "Rule",
    "map.message": "Message",
    "map.capacity": "Capacity",
    "map.used": "Assigned",
    "map.distance": "Straight-line distance (km)",
    "map.basemap": "Base map",
    "map.datum": "Datum",
    "map.data_date": "Data as of",
    "map.measured_note": "areas are ellipsoidal on CGCS2000",
    "map.batch_n": "Batch {n}",
    "map.version": "Version {n}",
    "map.illustrative": "illustrative data, not a survey",
    "map.unknown": "other (not recognised)",
    "map.north": "N",
    "map.hh": "{n} households",
    "map.legend": "Legend",
    "map.village_title": "{name} ({village_code}): reserve parcels",
    "map.zone_title": "Planning zone version {n} · {km2:g} km² · {project}",
    "map.community_title": "{name}: {people} · {households}",
    "map.default_title": "Industrial cluster zone",
    "map.county_title": "Industrial cluster zone ({county})",
    "map.basic_farmland": "Permanent basic farmland",
    "map.eco_redline": "Ecological red line",
    "map.urban_boundary": "Urban development boundary",
    "map.conflicts": "Constraint conflicts",
    "map.constraint": "Constraint",
    "map.source": "Source",
    "map.conflict_m2": "Conflict (m²)",
    "map.conflict_mu": "Conflict (mu)",
    "map.made_by": "Made by: {organisation}",
    "map.atlas": "Atlas of the villages to relocate",
    # the base maps (--tiles) and what their coordinates are
    "map.tiles.none": "none",
    "map.tiles.osm": "OpenStreetMap (needs internet)",
    "map.tiles.tianditu": "Tianditu (needs internet and a key)",
    "map.tiles.gaode": "Gaode/AMap (needs internet)",
    "map.datum.gaode": "GCJ-02: every layer shown shifted into GCJ-02 to line up with the tiles",
    # -- errors of landkit.maps ---------------------------------------------------------------------
    "maps.unknown_tiles": "unknown base map {tiles!r}; use one of {known}",
    "maps.nothing_to_draw": "there is nothing to draw: every spatial layer of the project is empty or missing",
    "maps.tianditu_key": "the Tianditu base map needs your key: pass --tianditu-key KEY or set TIANDITU_KEY",
    "maps.no_zone_version": "no planning-zone version {version!r}; the project has versions {versions}",
    "maps.no_zones": "no planning-zone version {version!r}; the project has no planning zones (`planning_zones`)",
    "maps.no_villages_layer": (
        "the project has no villages layer (`villages`): a community map shows the villages it receives"
    ),
    # -- errors of landkit.names: places found by name ------------------------------------------------
    "names.no_village": "no village {key!r}; the project has {count} villages: {names}",
    "names.no_community": "no community {key!r}; the project has {count} communities: {names}",
    "names.ambiguous_village": "village {key!r} could be any of {names}; give its code",
    "names.ambiguous_community": "community {key!r} could be any of {names}; give its id",
    "names.needs_pypinyin": (
        "{key!r} looks like pinyin: names in pinyin need the pypinyin package: pip install pypinyin"
    ),
    "names.no_villages": "the project has no villages (`villages`) to draw {key!r} from; add the villages layer",
    "names.no_communities": (
        "the project has no communities (`communities`) to draw {key!r} from; add the communities layer"
    ),
    # -- errors and warnings of landkit.qgis --------------------------------------------------------------
    "qgis.no_style": "landkit has no QGIS style for {layer!r}; it styles {styled}",
    "qgis.nothing_to_show": "{name}: none of the layers {layers} is in the project; nothing to show",
    "qgis.no_features": "the layers have no features to show",
    "qgis.not_qgz": "{path}: a QGIS project is written as .qgz; name it NAME.qgz",
    "qgis.not_ours": "{path}: exists and is not a file landkit wrote; choose another project name",
    "qgis.exists": "{path}: the file exists; replace it with --overwrite (overwrite=True), or another name",
    "qgis.percent_path": (
        "{path}: QGIS 3.22 cannot open a GeoPackage whose path holds %XX (GDAL opens it as an address and "
        "decodes it), so its layers would show as unavailable; rename the folder or file without % "
        "(`下载%20文件` → `下载 文件`) and write the project again"
    ),
    # -- audit rules and severities (landkit.schema.label) --------------------------------------------
    "rule.schema": "schema",
    "rule.empty_geometry": "empty geometry",
    "rule.duplicate_id": "duplicate id",
    "rule.crs_zone": "CRS and zone",
    "rule.invalid_geometry": "invalid geometry",
    "rule.overlap": "overlap",
    "rule.gap": "gap",
    "rule.outside_zone": "outside the zone",
    "rule.outside_county": "outside the county",
    "rule.area_mismatch": "stated vs measured area",
    "rule.ledger": "ledger",
    "rule.capacity": "capacity",
    "rule.basic_farmland": "permanent basic farmland",
    "rule.eco_redline": "ecological red line",
    "rule.urban_boundary": "outside the urban boundary",
    "rule.illegal_building": "suspect building",
    "rule.idle_land": "idle land",
    "rule.investment_intensity": "low investment intensity",
    "rule.digitising_overlap": "digitising overlap",
    "severity.error": "error",
    "severity.warning": "warning",
    "severity.info": "info",
}

# Real layers as they come (issue 27): a layer without landkit's columns
MESSAGES |= {
    "table.all_features": "all parcels",
}
MESSAGES |= {
    "schema.own_columns": "without landkit's column(s) {columns}; its geometry is checked all the same, {named}",
    "schema.own_columns_code": "without landkit's column(s) {columns}; its geometry is checked all the same, {named}; "
    "without the land-use code (code), the land taken is not counted by class",
    "schema.own_id": "its features named by its own id column {column}",
    "schema.fid_id": "with no {id}, its features named by their number (fid)",
    "schema.own_columns_fix": "add {columns} for everything landkit does with it; it is not required",
}
