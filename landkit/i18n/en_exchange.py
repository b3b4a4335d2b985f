"""English words of the survey-exchange text (the approval system's coordinate TXT)."""

MESSAGES: dict[str, str] = {
    # the file as a whole
    "exchange.encoding": (
        "{path}: cannot be read as {encoding} ({reason}); "
        "leave out --encoding to let landkit detect it, or give the right one"
    ),
    "exchange.not_exchange": "{path}: not a survey-exchange coordinate file (no `[属性描述]` or `[地块坐标]` section)",
    "exchange.no_plots": (
        "{path}: no plots in the `[地块坐标]` section (each plot starts "
        "with a line 'points,area,id,name,kind,sheet,use,class,@')"
    ),
    "exchange.datum": (
        "{path}: the coordinate system {value!r} is not one landkit knows; write `坐标系=2000国家大地坐标系` "
        "(or `1980西安坐标系`, `1954北京坐标系`) in the `[属性描述]` section"
    ),
    "exchange.no_zone": (
        "{path}: no projection zone: the zone number is empty and the eastings carry none; "
        "write `带号=` (e.g. 38) in the `[属性描述]` section"
    ),
    "exchange.band_zone": (
        "{path}: the band {band!r} does not fit zone {zone} (3-degree zones are 25-45, 6-degree zones 13-23)"
    ),
    "exchange.refused": "{path}: {count} problem(s) a receiving system would reject; nothing was imported:",
    "exchange.more": "... and {count} more",
    # one plot, one line
    "exchange.bad_header": (
        "line {line} (plot {plot}): the plot line cannot be read (it should start with its point count): {text}"
    ),
    "exchange.not_area": "line {line} (plot {plot}): its kind is {kind!r}; landkit reads area plots only",
    "exchange.point_before_plot": "line {line}: a point before the first plot line: {text}",
    "exchange.bad_point": (
        "line {line} (plot {plot}): the point line cannot be read (it should be name,ring,X,Y): {text}"
    ),
    "exchange.swapped": (
        "line {line} (plot {plot}): X and Y look swapped (X={x} looks like an easting, Y={y} like a northing); "
        "in this format X is the northing and Y the easting"
    ),
    "exchange.out_of_range": "line {line} (plot {plot}): X={x}, Y={y} are not Gauss-Krueger metres in China",
    "exchange.prefix": (
        "line {line} (plot {plot}): the easting's zone prefix {prefix} disagrees with the file's zone {zone}"
    ),
    "exchange.unclosed": (
        "line {line} (plot {plot}): ring {ring} is not closed; its last point should repeat its first, {first}"
    ),
    "exchange.short_ring": "line {line} (plot {plot}): ring {ring} has {points} point(s); a ring needs at least 3",
    "exchange.zero_length": "line {line} (plot {plot}): point {name} repeats the point before it (a zero-length edge)",
    "exchange.count": "line {line} (plot {plot}): the plot line says {stated} points, and {found} lines follow",
    "exchange.count_open": (
        "line {line} (plot {plot}): the plot line says {stated} points, and {found} lines follow; "
        "the count leaves out the rings' closing points, which a submission counts"
    ),
    "exchange.no_points": "line {line} (plot {plot}): the plot has no points",
    "exchange.self_intersection": "line {line} (plot {plot}): ring {ring} intersects itself near X={x}, Y={y}",
    "exchange.rings_cross": "line {line} (plot {plot}): its rings cross or overlap near X={x}, Y={y}",
    "exchange.area": (
        "line {line} (plot {plot}): stated area {stated} ha; the 2008 ellipsoidal method gives {computed} ha"
    ),
    "exchange.duplicate_id": "line {line} (plot {plot}): the plot id repeats an earlier plot's",
    # writing
    "exchange.export_refused": (
        "{count} parcel(s) would not give plots a receiving system accepts; no file was written:"
    ),
    "exchange.no_geometry": "parcel {plot}: no polygon geometry",
    "exchange.separator": (
        "parcel {plot}: {field!r} holds a comma, @ or line break, which would break the format; "
        "change it in the project first"
    ),
    "exchange.unencodable": (
        "parcel {plot}: the character {char!r} cannot be written in {encoding}; use --encoding utf-8 or change the text"
    ),
    "exchange.write_crs": (
        "the project's CRS {crs} is not a Gauss-Krueger system the format can "
        "carry (CGCS2000, Xi'an 1980 or Beijing 1954, 3- or 6-degree zones)"
    ),
    "exchange.unknown_target": "no reserve target named {target!r}; the project has: {known}",
    "exchange.unknown_status": "{status!r} is not a parcel status; use one of {known} (or its Chinese name)",
    "exchange.unknown_parcels": "the project has no parcel with these {count} id(s): {ids}",
    "exchange.nothing_selected": "no parcel meets the selection; no file was written",
    "exchange.wrote": "wrote {path}: {count} plot(s), areas by the 2008 ellipsoidal method (hectares, 4 decimals)",
    # the command line
    "opt.export.target": "Only the parcels of this reserve target (id or name).",
    "opt.export.status": "Only the parcels in this status (e.g. approved).",
    "opt.export.village": "Only the parcels of this village (code or name).",
    "opt.export.parcels": "Only these parcel ids (separated by commas).",
    "opt.export.encoding": "Encoding of a .txt exchange file (default gbk, CRLF line ends).",
    "exchange.no_point_lines": "{path}: no point line can be read (each should be name,ring,X,Y); no plot was imported",
}
