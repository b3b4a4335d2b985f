"""PostgreSQL project URLs: what they name (server, database, schema), how they are shown (the
password masked), and the data source QGIS reads from them; no connection is made here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from ..errors import DataError

SCHEMES = ("postgresql://", "postgres://")
FID = "fid"
GEOM = "geom"


def is_url(path: Any) -> bool:
    """Whether a project path is a PostgreSQL URL rather than a file."""
    return isinstance(path, str) and path.strip().lower().startswith(SCHEMES)


@dataclass(frozen=True)
class Project:
    """A parsed project URL: what libpq connects to, the schema, and the URL as messages show it."""

    conninfo: str = field(repr=False)
    schema: str
    shown: str
    password: str | None = field(default=None, repr=False)
    #: every form the secrets take in the URL as written (raw, decoded), masked too
    hidden: tuple[str, ...] = field(default=(), repr=False)

    def mask(self, text: str) -> str:
        """``text`` with the password (if the URL carried one) replaced by ``***``."""
        forms = {*self.hidden, *([self.password, _quote_pw(self.password)] if self.password else [])}
        for form in sorted((f for f in forms if f), key=len, reverse=True):
            text = text.replace(form, "***")
        return text


def _quote_pw(password: str) -> str:
    return quote(password, safe="")


#: Parameters libpq takes whose values are secrets (masked in every message).
_SECRET = ("password", "sslpassword")


def parse(url: str) -> Project:
    """Split a project URL into its connection and its schema (default ``public``).

    The connection is the URL as written, less landkit's own ``schema`` parameter: libpq parses
    it (``%20`` stays a space, ``+`` a plus sign; ``service=``, ``PGSERVICEFILE``, ``PGPASSFILE``
    and ``PGPASSWORD`` work as libpq documents them); nothing is decoded and encoded again.
    """
    text = url.strip()
    head, _, query = text.partition("?")
    parts = urlsplit(head, allow_fragments=False)
    pairs = [p for p in query.split("&") if p]
    named = [(unquote(p.partition("=")[0]), p) for p in pairs]
    schemas = [unquote(p.partition("=")[2]) for k, p in named if k == "schema"]
    rest = [(k, p) for k, p in named if k != "schema"]
    hidden = [p.partition("=")[2] for k, p in rest if k in _SECRET and p.partition("=")[2]]
    given = [unquote(v) for v in hidden]
    password = unquote(parts.password) if parts.password else None
    if parts.password:
        hidden.append(parts.password)
    password = password or (given[-1] if given else None)
    netloc = parts.netloc
    shown_netloc = netloc
    if parts.password is not None:
        userinfo, _, hostport = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        shown_netloc = f"{user}:***@{hostport}"
    schema = schemas[-1] if schemas else "public"
    if "@" in netloc.rpartition("@")[0]:  # libpq ends the user and password at the first @, Python at the last
        raise DataError(code="pg.raw_at", where=_without_user(text))
    if not schema:
        where = urlunsplit((parts.scheme, shown_netloc, parts.path, "", ""))
        raise DataError(code="pg.empty_schema", where=where)
    conninfo = head + ("?" + "&".join(p for _, p in rest) if rest else "")
    shown_query = [f"{p.partition('=')[0]}=***" if k in _SECRET else p for k, p in rest]
    shown_query.append("schema=" + quote(schema, safe=""))
    shown = f"{parts.scheme}://{shown_netloc}{parts.path}?" + "&".join(shown_query)
    return Project(conninfo, schema, shown, password, tuple(dict.fromkeys(hidden + given)))


def _without_user(url: str) -> str:
    """An address :func:`parse` refuses, as a message may show it: no user, password or query."""
    parts = urlsplit(url.strip().partition("?")[0], allow_fragments=False)
    return urlunsplit((parts.scheme, f"***@{parts.netloc.rpartition('@')[2]}", parts.path, "", ""))


def display(url: str) -> str:
    """The URL as messages show it: the password masked (user and password both, for an address
    whose password holds a raw @, which :func:`parse` refuses)."""
    try:
        return parse(url).shown
    except DataError:
        return _without_user(url)


#: The connection parameters a QGIS data source carries (never the password).
_QGIS_KEYS = ("service", "dbname", "host", "port", "user", "sslmode")


def qgis_source(params: Mapping[str, Any], schema: str, table: str, srid: int, kind: str) -> str:
    """A PostGIS layer's QGIS data source, quoted as QgsDataSourceUri writes one: values in '…'
    and identifiers in "…", each with a backslash before its quote and before a backslash. The
    connection carries no password."""

    def esc(value: Any, quote: str) -> str:
        return str(value).replace("\\", "\\\\").replace(quote, "\\" + quote)

    connection = " ".join(f"{k}='{esc(params[k], chr(39))}'" for k in _QGIS_KEYS if params.get(k))
    return (
        f"{connection} key='{FID}' srid={srid} type={kind} checkPrimaryKeyUnicity='0' "
        f'table="{esc(schema, chr(34))}"."{esc(table, chr(34))}" ({GEOM})'
    )


_TYPED_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s:/?#@]*:)(?:[^\s@]*@)+", re.IGNORECASE)


def mask_any(url: str, text: str) -> str:
    """``text`` with the password of ``url`` masked: the store's own mask (raw and %-quoted forms),
    or, for an address it refuses (a raw @ in the password), the password as written."""
    try:
        return parse(url).mask(text)
    except Exception:
        found = _TYPED_PASSWORD.search(url)
        secret = found.group(0)[len(found.group(1)) : -1] if found else ""
        for form in {secret, quote(secret, safe="")} - {""}:
            text = text.replace(form, "***")
        return text
