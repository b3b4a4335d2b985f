"""English words of the audit's findings (landkit.topology, landkit.audit), by code; Chinese: zh_findings.py."""

MESSAGES: dict[str, str] = {
    "finding.and": " and ",
    "finding.invalid_geometry": (
        "{id}: invalid geometry ({reason}); its area cannot be trusted. Redraw it, or try repair_geometry()"
    ),
    "finding.overlap.duplicate": (
        "{a} and {b}: duplicate: the same land is registered twice, {m2:,.1f} m² ({mu:,.2f} mu) counted twice"
    ),
    "finding.overlap.inside": (
        "{a} and {b}: one parcel lies inside the other, {m2:,.1f} m² ({mu:,.2f} mu) counted twice"
    ),
    "finding.overlap.overlap": "{a} and {b}: the parcels overlap, {m2:,.1f} m² ({mu:,.2f} mu) counted twice",
    "finding.digitising_overlap": (
        "{a} and {b}: their drawn edges overlap by less than the {snap_m:g} m tolerance, "
        "yet {m2:,.1f} m² ({mu:,.2f} mu) is in both; redraw the shared edge once"
    ),
    "finding.gap.two": "{ids}: a {width:.2f} m wide sliver of {m2:,.1f} m² between them; make them meet",
    "finding.gap.more": "{ids}: a {width:.2f} m wide sliver of {m2:,.1f} m² between them; make them meet",
    "finding.outside": "{id}: {m2:,.1f} m² ({mu:,.2f} mu, {share:.0%} of it) lies outside {boundary}",
    "finding.boundary.county": "the county",
    "finding.area_mismatch": (
        "{id}: stated {stated:,.2f} mu, measured {measured:,.2f} mu (ellipsoidal): "
        "{diff:+,.2f} mu, more than the {allowed:,.1f} m² allowed; check the documents or the drawing"
    ),
}
MESSAGES |= {
    # the ledgers against their layers (landkit.audit)
    "finding.noun.parcel": "parcel",
    "finding.noun.village": "village",
    "finding.etc": " etc.",
    "finding.ledger.unknown": "{table} name {n} {noun}(s) not in the {layer} layer: {ids}",
    "finding.ledger.refused": "{id}: event {event} is refused by the lifecycle: {reason}",
    "finding.ledger.future": (
        "{n} event(s) in {table} are dated after today (the latest {latest}); a typo in the year? "
        "Record a correction dated today"
    ),
    "finding.ledger.differs": (
        "{id}: the {layer} layer says {said}, the ledger says {ledger}; run landkit sync to make it follow"
    ),
    "finding.ledger.missing": (
        "{n} {noun}(s) have no ledger event: record their first status "
        "(or landkit sync --apply --as-of DATE for an opening balance)"
    ),
    "finding.capacity": (
        "{name} after batch {batch}: {people:,}/{capacity_people:,} people, "
        "{households:,}/{capacity_households:,} households"
    ),
    "finding.gcj02": (
        "the county outline is in GCJ-02 (AMap's offset datum, about 590 m east-south-east) although it is "
        "declared as CGCS2000/WGS84: convert it with landkit.gcj02_to_wgs84 before use"
    ),
}
