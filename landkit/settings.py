"""Typed, documented defaults. Functions take ``None`` to mean "use the setting here"."""

from __future__ import annotations

#: Storage CRS of the sample project: CGCS2000 3-degree Gauss-Krueger, central meridian 114E,
#: no zone prefix. Chinese surveys deliver parcels in such a zone.
sample_crs: str = "EPSG:4547"

#: CGCS2000 geographic; areas are measured on its ellipsoid.
geographic_crs: str = "EPSG:4490"

#: Default engine for reading and writing layers: "pyogrio" (fast, transactional) or "fiona".
engine: str = "pyogrio"

#: Encoding tried for a Shapefile without a ``.cpg`` whose text is not valid UTF-8.
#: GB18030 is a superset of GBK and GB2312, the encodings Chinese Shapefiles are written in.
legacy_encoding: str = "GB18030"

#: Seconds a write waits for another program (QGIS, a colleague's landkit) to finish writing the
#: same project before it gives up with "being written by another program".
busy_timeout_s: float = 30.0
