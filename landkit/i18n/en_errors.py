"""English words of landkit's library (errors), code for code with zh_errors.py."""

MESSAGES: dict[str, str] = {
    # io.py: sources, tables, outputs
    "io.cpg_wrong": (
        "{path}: its .cpg says the text is {named}, but it reads as Chinese only in GB18030 (GBK); "
        "import it with --encoding GB18030, or correct the .cpg"
    ),
    "io.shapefile_empty": "{path}: the file is empty (0 bytes); copy the Shapefile again from its source",
    "io.shapefile_no_shx": (
        "{path}: the .shx file (its index) is missing beside it; copy all the Shapefile's files "
        "together (.shp, .shx, .dbf, .prj, .cpg)"
    ),
    "io.shapefile_no_dbf": (
        "{path}: the .dbf file (its attributes) is missing beside it; copy all the Shapefile's "
        "files together (.shp, .shx, .dbf, .prj, .cpg)"
    ),
    "io.url_not_a_source": (
        "{url}: is a project in a database, not a file to import; read it with read_layer, or "
        "copy the whole project with `landkit push URL URL`"
    ),
    "io.url_not_an_output": "{url}: is a database URL; this command writes files: give a file or folder name",
    "io.no_such_source": "{path}: no such file. Check the path.",
    "io.source_is_folder": "{path}: is a folder; give the .shp, .geojson or .gpkg file inside it.",
    "io.not_geoparquet": "{path}: not a GeoParquet file ({detail}). Save it with GeoDataFrame.to_parquet",
    "io.not_a_layer": "{path}: not a file GDAL can read as a layer ({detail}). Save it as GeoPackage or Shapefile.",
    "io.no_features": "{path}: holds no features; there is nothing to import",
    "io.no_geometry": "{path}: layer '{layer}' has no geometry; import a spatial layer.",
    "io.not_finite_in_project": (
        "{path}: its coordinates become infinite or NaN in the project's CRS: the source's declared "
        "CRS is not the one its numbers are in. Declare the right one (a .prj, or the GeoJSON's "
        "crs) and import again"
    ),
    "io.crs_cannot_hold": "{path}: {reason}",
    "io.many_sheets": (
        "{path}: {count} sheets hold rows ({sheets}); keep the table on one sheet, or save that sheet as its own file"
    ),
    "io.not_a_table": "{path}: cannot be read as a table ({detail}); save it as CSV (UTF-8) or XLSX",
    "io.table_suffix": "{path}: give a .csv or .xlsx file",
    "io.output_is_input": (
        "{path}: is an input of this command; an output never replaces an input. Choose another name."
    ),
    "io.output_is_folder": "{path}: is a folder; give the name of the file to write.",
    "io.output_exists_source": (
        "{path}: exists and is a project or source file; choose another name, or pass --overwrite to replace it."
    ),
    "io.output_exists_foreign": (
        "{path}: exists and is not a file landkit wrote; choose another name, or pass --overwrite to replace it."
    ),
    "io.folder_is_file": "{path}: is a file; give a folder for the outputs.",
    "io.cannot_replace": (
        "{path}: cannot be replaced ({detail}); it is probably open in another program (QGIS, "
        "Excel, a browser): close it and run again. The folder is as it was"
    ),
    # store/gpkg.py: the GeoPackage file
    "io.no_such_file": "{path}: no such file. Check the path (create a sample with `landkit sample`).",
    "gpkg.is_folder": "{path}: is a folder, not a GeoPackage file. Give the path of a .gpkg file.",
    "gpkg.empty_file": (
        "{path}: the file is empty (0 bytes), not a GeoPackage. Restore it from a backup or re-export "
        "it from the source system."
    ),
    "gpkg.not_sqlite": (
        "{path}: not a GeoPackage (not an SQLite database). Save the data as GeoPackage, or bring "
        "a Shapefile or GeoJSON in with `landkit import`."
    ),
    "gpkg.truncated": (
        "{path}: the file is truncated ({size} of {expected} bytes); it was cut off while being "
        "copied or written. Restore it from a backup or re-export it from the source system."
    ),
    "gpkg.not_geopackage": "{path}: an SQLite database but not a GeoPackage. Save the data as GeoPackage.",
    "gpkg.no_contents": (
        "{path}: a GeoPackage without its gpkg_contents table; restore it from a backup or re-export "
        "it from the source system, or save the layers anew as GeoPackage"
    ),
    "gpkg.damaged": (
        "{path}: the GeoPackage is damaged ({detail}). Restore it from a backup or re-export it from the source system."
    ),
    "gpkg.no_layers": "{path}: the GeoPackage holds no layers. Write the project's layers into it (landkit import).",
    "gpkg.cannot_open": "{path}: cannot be opened for writing ({detail}); check that the file is not read-only.",
    "gpkg.busy": (
        "{path}: the project is being written by another program; try again when it has finished (nothing was written)."
    ),
    "gpkg.read_only": "{path}: the file or its folder is read-only; nothing was written.",
    "gpkg.disk": "{path}: the disk is full or failing ({detail}); nothing was written. Free space, then retry.",
    "gpkg.damaged_unwritten": (
        "{path}: the GeoPackage is damaged ({detail}); nothing was written. Restore it from a "
        "backup or re-export it from the source system."
    ),
    "gpkg.refused": "{path}: SQLite refused the write ({detail}); nothing was written.",
    "gpkg.unreadable_layer": (
        "{path}: layer '{layer}' cannot be read ({detail}). Restore it from a backup or re-export "
        "it from the source system."
    ),
    "gpkg.unwritable": "layer '{layer}' cannot be written as GeoPackage (GDAL: {detail}).",
    "gpkg.unwritable_fid": (
        "layer '{layer}' cannot be written as GeoPackage (GDAL: {detail}). Rename the column "
        "'fid': GeoPackage reserves it for the feature id."
    ),
    "gpkg.appeared": "{path}: the file exists already; nothing was written.",
    "gpkg.undefined_srs": "{path}: the CRS of {layer} (srs_id {srs_id}) is not defined in the file; name one",
    # store/: projects in either backend
    "store.url_as_path": (
        "{url}: a database URL given as a file path; pass the URL as text (a str), not a pathlib.Path, "
        "so that it reaches the database"
    ),
    "store.styles_in_files": (
        "{where}: QGIS styles are written into GeoPackage files; a database's styles travel in "
        "the QGIS project (landkit qgis), or pull it into a GeoPackage first (landkit pull)"
    ),
    "store.file_exists": "{path}: the file exists already; pass --overwrite (overwrite=True) to replace its layers.",
    "store.engine": "engine must be 'pyogrio' or 'fiona', not '{engine}'",
    "store.no_layer": (
        "{where}: there is no layer '{layer}'; it has: {names}. Check the layer name (project "
        "files hold the layers listed in the README)."
    ),
    "store.append_only": (
        "{where}: the {layer} table is append-only history; this write would change or drop recorded "
        "events. Record a revocation or correction event instead"
    ),
    "store.followed_ledger.parcel": (
        "{where}: {count} parcel(s) in the written {layer} had a {column} other than the ledger's; "
        "they were set to the ledger's state (record an event to change a status)"
    ),
    "store.followed_ledger.village": (
        "{where}: {count} village(s) in the written {layer} had a {column} other than the ledger's; "
        "they were set to the ledger's state (record an event to change a status)"
    ),
    "store.lost_indexes": (
        "{where}: the replaced layer lost your index(es) or trigger(s) {names}: a column they "
        "name is gone; create them again if you need them"
    ),
    "store.target_is_folder": "{path}: is a folder; name the GeoPackage to write, e.g. {example}",
    "store.copy_onto_itself_schema": "{where}: is the project being copied; name another schema (?schema=NAME)",
    "store.copy_onto_itself_file": "{where}: is the project being copied; name another file",
    "store.copy_target_exists": (
        "{where}: exists; copying the project would replace its layers. Choose another name, "
        "or pass --overwrite (overwrite=True) if that is what you want"
    ),
    "store.push_needs_url": (
        "{where}: push copies a project into a database; give a postgresql:// URL as the target "
        "(to write a GeoPackage from a database, use pull)"
    ),
    "store.pull_needs_url": (
        "{where}: pull reads a project in a database; give its postgresql:// URL first (to copy "
        "a GeoPackage into a database, use push)"
    ),
    "store.grant_needs_url": "{where}: roles exist only in a database; give a postgresql:// URL",
    "store.no_column": (
        "{layer}: no column {missing}; the layer's columns are {have}. Rename the column to the "
        "project-file contract's name (see the README) or add it"
    ),
    "store.layer_exists": (
        "{where}: layer '{layer}' exists already; pass --overwrite (overwrite=True) to replace "
        "it (or write to a new layer name)."
    ),
    # store/postgis.py: projects in PostgreSQL/PostGIS
    "pg.raw_at": (
        "{where}: the user or password in the URL holds a raw '@', which PostgreSQL reads as "
        "the end of the password; write it as %40, or leave the password out of the URL and set "
        "PGPASSWORD"
    ),
    "pg.empty_schema": "{where}: the URL names an empty schema; write ?schema=NAME",
    "pg.cannot_connect": (
        "{where}: cannot connect to the database ({detail}). Check the host, port, database and "
        "user in the URL (or its service=); the password is read from PGPASSWORD or ~/.pgpass "
        "(PGPASSFILE)"
    ),
    "pg.busy": (
        "{where}: the project is being written by another planner; try again when they have finished "
        "(nothing was written)."
    ),
    "pg.append_only": "{where}: {detail}; nothing was written",
    "pg.privilege": (
        "{where}: the database refused ({detail}); nothing was written. Ask the project's owner "
        "for the role you need (landkit's grant(): a reader or a recorder role)"
    ),
    "pg.check": (
        "{where}: {detail}: a value outside the allowed list ({more}); nothing was written. Use "
        "one of the values the project-file contract allows (see the README)"
    ),
    "pg.foreign_key": (
        "{where}: {detail} ({more}); nothing was written. Every ledger row must name a feature of its layer"
    ),
    "pg.unique": (
        "{where}: {detail} ({more}); nothing was written. Ids must be unique (landkit audit lists the duplicates)"
    ),
    "pg.push_running": (
        "{where}: another push is running into the new project (schema '{schema}'); try again "
        "when it has finished (nothing was written)."
    ),
    "pg.no_schema": "{where}: there is no project schema '{schema}' in this database",
    "pg.connection_failed": "{where}: the connection to the database failed ({detail}); nothing was written. Retry",
    "pg.refused": "{where}: PostgreSQL refused ({detail}); nothing was written.",
    "pg.no_project": (
        "{where}: there is no project (schema '{schema}') in this database; copy a GeoPackage "
        "there with `landkit push FILE URL`, or check the schema in the URL"
    ),
    "pg.no_layers": "{where}: the project schema holds no layers; push a project there first",
    "pg.no_table": "{where}: there is no table '{table}' in the project",
    "pg.rows_busy": (
        "{where}: {ids} is being recorded by another planner (waited {seconds} s); try again "
        "when they have finished (nothing was written)."
    ),
    "pg.conflict": (
        "{reason} (conflict: another planner recorded {ids} at the same moment and was first; "
        "read the project again and check its status)"
    ),
    "pg.long_layer_name": (
        "{where}: layer name '{name}' is {size} bytes in UTF-8; PostgreSQL keeps at most {limit} "
        "bytes of a name (21 Chinese characters) and would cut it; rename the layer, e.g. '{shorter}'; "
        "nothing was written"
    ),
    "pg.long_column_name": (
        "{where}: layer '{layer}': column name '{name}' is {size} bytes in UTF-8; PostgreSQL "
        "keeps at most {limit} bytes of a name (21 Chinese characters) and would cut it; rename "
        "the column, e.g. '{shorter}'; nothing was written"
    ),
    "pg.stamp_clash": (
        "{where}: layer '{layer}': column '{column}' clashes with the database's own stamp columns "
        "({stamps}: who recorded each event, and when); rename the column; nothing was written"
    ),
    "pg.not_dates": (
        "{where}: layer '{layer}': column '{column}' is a date column but holds {count} value(s) "
        "that are not dates ({values}); write them as YYYY-MM-DD or leave them empty; nothing "
        "was written"
    ),
    "pg.fid_column": "layer '{layer}': a column named 'fid' is reserved for the feature id; rename it",
    "pg.project_exists": (
        "{where}: the project (schema '{schema}') exists already; pass --overwrite (overwrite=True) "
        "to replace its layers."
    ),
    # crs.py: coordinate reference systems
    "crs.no_gk_zone": "longitude {lon} is outside China's 3-degree Gauss-Krueger zones 25-45",
    "crs.none": (
        "the layer has no coordinate reference system. Declare the one the coordinates are in, "
        "e.g. gdf.set_crs('EPSG:4547') for CGCS2000 Gauss-Krueger CM 114E or 'EPSG:4490' for "
        "CGCS2000 longitude/latitude, then write it again."
    ),
    "crs.none_at": (
        "{where}: the layer has no coordinate reference system. Declare the one the coordinates "
        "are in, e.g. gdf.set_crs('EPSG:4547') for CGCS2000 Gauss-Krueger CM 114E or 'EPSG:4490' "
        "for CGCS2000 longitude/latitude, then write it again."
    ),
    "crs.none_layer": (
        "layer '{layer}' has no coordinate reference system. Declare the one the coordinates "
        "are in, e.g. gdf.set_crs('EPSG:4547') for CGCS2000 Gauss-Krueger CM 114E or 'EPSG:4490' "
        "for CGCS2000 longitude/latitude, then write it again."
    ),
    "crs.none_at_layer": (
        "{where}, layer '{layer}': the layer has no coordinate reference system. Declare the "
        "one the coordinates are in, e.g. gdf.set_crs('EPSG:4547') for CGCS2000 Gauss-Krueger "
        "CM 114E or 'EPSG:4490' for CGCS2000 longitude/latitude, then write it again."
    ),
    "crs.outside_county": "outside the county",
    "crs.outside_china": "outside China",
    "crs.outside_use": "outside the area where {name} is used ({area})",
    "crs.not_finite": "coordinates are not finite numbers (NaN or infinity); redraw or re-export the features",
    "crs.nowhere": "nowhere (the transform fails)",
    "crs.at": "at {lon:.2f}E {lat:.2f}N",
    "crs.cannot_be_in": "coordinates {box} cannot be in {crs} ({name}): there they would lie {seen}, {where}",
    "crs.swapped": "{head}. Longitude and latitude are swapped: swap x and y (e.g. {swap})",
    "crs.fits_one": "{head}. They fit EPSG:{epsg} ({name}): declare it with {call}",
    "crs.fits_several": "{head}. They fit several CRSs ({listed}); the county outline would tell which",
    "crs.fits_none": "{head}. No common CRS fits them; check the source of the data",
    "crs.outside_zone": (
        "the layer is stored in EPSG:{epsg} (central meridian {cm}E) but reaches {far} degrees "
        "from it; planar measures there are distorted. Its own zone is EPSG:{right}"
    ),
    "crs.datum": "the {datum} datum",
    "crs.ballpark": (
        "{where}the layer is on {source} and the project on {target}: PROJ knows no transformation "
        "between them of survey accuracy (its ballpark shift is off by tens of metres to 100 "
        "m). Give the 7 parameters from your surveying bureau with --datum-transform '+towgs84=dx,dy,dz,rx,ry,rz,ds', "
        "or accept the ballpark shift with --accept-ballpark"
    ),
    "crs.bad_transform": "{where}--datum-transform '{text}' is not a transformation PROJ can run ({detail})",
    # measure.py, units.py, topology.py, planning.py, parallel.py
    "measure.latitude": (
        "coordinates reach latitude {lat}: they cannot be in {crs}; check the declared CRS (are "
        "longitude and latitude swapped?)"
    ),
    "planning.invalid_parcels": (
        "{n} parcel(s) with invalid geometry ({ids}): the reserve area counts them as GEOS repairs them; "
        "run landkit audit to see and fix them"
    ),
    "measure.old_datum": (
        "the layer is on the {datum} datum: its areas are taken on the CGCS2000 ellipsoid after "
        "PROJ's ballpark shift (positions off by tens of metres; areas by about 1e-5). Reproject "
        "it with your surveying bureau's parameters (landkit import --datum-transform) for survey-grade "
        "figures"
    ),
    "measure.method": "unknown area method '{method}'; use ellipsoidal, cn2008 or planar",
    "measure.no_zone": "a planar area needs the projection to measure in: --zone / zone=, e.g. EPSG:4547",
    "measure.unknown_zone": "'{zone}' is not a CRS PROJ knows; give an EPSG code such as EPSG:4547",
    "measure.zone_not_projected": (
        "{zone} ({name}) is not a projection: its units are degrees, so a planar area would be "
        "in square degrees. Give a projected CRS such as EPSG:4547, or use the ellipsoidal default"
    ),
    "measure.not_polygons": (
        "the layer holds {kinds}: areas are measured on polygon layers; choose one (e.g. parcels)"
    ),
    "measure.mercator": (
        "planar areas in {name} are about {factor} too large at {lat}N; use the ellipsoidal default "
        "or a Gauss-Krueger zone"
    ),
    "measure.far_from_meridian": (
        "parcels lie up to {far} degrees from the central meridian {cm}E of EPSG:{epsg}: planar "
        "areas there are up to {distortion} too large ({per_ha} m2 per hectare). Use the ellipsoidal "
        "default, or the zone EPSG:{zone}"
    ),
    "units.unknown": "unknown area unit '{unit}'; use one of {units}",
    "units.not_finite": "cannot balance parts that include NaN or infinity; report them first",
    "topology.repair_refused": (
        "repair refused for {count} feature(s) ({ids}): making them valid would change their "
        "area by more than {tolerance}. Redraw them (a bow-tie has two possible shapes)"
    ),
    "topology.no_stated": "no column '{column}' to compare with; name the stated-area column with stated=",
    "planning.no_version": "planning_zones needs a 'version' column (1, 2, 3 …) to order its versions",
    "parallel.no_dask": (
        'checking in partitions needs dask: pip install "landkit[dask]" (dask-geopandas and distributed)'
    ),
    # audit.py: the rules file
    "audit.rules_not_toml": "{path}: not valid TOML ({detail}); see the example in the README",
    "audit.rules_wrong": "{path}: {problems}",
    # checks.py: a project against its contract
    "checks.no_layer": (
        "{where}: has no {layer} layer (`{label}`), which {needed_by} needs; add it with `landkit "
        "import SOURCE {where} --layer {layer}`"
    ),
    "checks.empty_layer": (
        "{where}: has an empty {layer} layer (`{label}`), which {needed_by} needs; add it with "
        "`landkit import SOURCE {where} --layer {layer}`"
    ),
    "checks.invalid": "{source}: {count} problem(s)\n{lines}",
    # measure.py: a layer without polygons
    "measure.no_geometry": (
        "the layer holds no geometry: areas are measured on polygon layers; choose one (e.g. parcels)"
    ),
    # fonts.py: a character no Chinese font found has (never drawn as a box)
    "fonts.missing_glyph": (
        'cannot draw "{text}": the character "{char}" ({codepoint}) has no glyph in any font found ({fonts}) and '
        "would print as a box, so no file was written; install a Chinese font that has it (e.g. Noto Sans CJK SC: "
        "pip install mplfonts), or change the name"
    ),
}

# A Shapefile's .cpg that names a code page its text is not in (issue 27)
MESSAGES |= {
    "io.cpg_undecodable": (
        "{path}: its .cpg says the text is {named}, but the text is not in that encoding; import it with "
        "--encoding and the real one (e.g. --encoding ISO-8859-1 or GB18030), or correct the .cpg"
    ),
}
