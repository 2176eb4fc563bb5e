"""The unit tree in memory, and a unit's indices summed over its sub-units.

The stored evaluation holds the indices of each unit's own members
(``indices.units[code][year]``). A unit page speaks for the unit *with* its
sub-units (a Dinas with its schools), so the figures are pooled from the
members' counts: a share is Σ compliant / Σ PNS, a mean is weighted by the
people it is over, the IKM by its respondents. For a unit without sub-units
this gives back the stored figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mutu.people.selectors import UnitNode

#: IP ASN bands, lowest first (codes of the ``ip_asn`` rulebook).
IP_BANDS = ("sangat_rendah", "rendah", "sedang", "tinggi", "sangat_tinggi")


class UnitTree:
    """Parents, children, subtrees and ancestors of the units."""

    def __init__(self, nodes: Mapping[int, UnitNode]) -> None:
        self.nodes = nodes
        self.children: dict[int | None, list[UnitNode]] = defaultdict(list)
        for node in nodes.values():
            self.children[node.parent_id].append(node)
        for kids in self.children.values():
            kids.sort(key=lambda n: n.name)
        self.by_code = {n.code: n for n in nodes.values()}

    def subtree(self, pk: int) -> list[UnitNode]:
        """The unit and all its descendants."""
        out: list[UnitNode] = []
        stack = [pk]
        seen: set[int] = set()
        while stack:
            current = stack.pop()
            if current in seen or current not in self.nodes:
                continue
            seen.add(current)
            out.append(self.nodes[current])
            stack.extend(n.pk for n in self.children.get(current, ()))
        return out

    def ancestors(self, pk: int) -> list[UnitNode]:
        """From the root down to the unit's parent."""
        out: list[UnitNode] = []
        node = self.nodes.get(pk)
        seen: set[int] = set()
        while node is not None and node.parent_id is not None and node.parent_id not in seen:
            seen.add(node.parent_id)
            parent = self.nodes.get(node.parent_id)
            if parent is None:
                break
            out.append(parent)
            node = parent
        return list(reversed(out))

    def top_units(self) -> list[UnitNode]:
        """The units directly under the roots (the SKPK/OPD); the roots when none."""
        roots = self.children.get(None, [])
        below = [n for r in roots for n in self.children.get(r.pk, [])]
        return sorted(below or roots, key=lambda n: n.name)


@dataclass
class PooledIndex:
    """One year's indices of a group of units, pooled from their members' counts."""

    year: int
    n_pns: int = 0
    pns_compliant: int = 0
    jp_sum: float = 0.0
    ip_scored: int = 0
    ip_sum: float = 0.0
    bands: dict[str, int] = field(default_factory=dict)
    skm_n: int = 0
    skm_sum: float = 0.0

    @property
    def jp_share(self) -> float | None:
        return self.pns_compliant / self.n_pns if self.n_pns else None

    @property
    def mean_jp(self) -> float | None:
        return self.jp_sum / self.n_pns if self.n_pns else None

    @property
    def ip_mean(self) -> float | None:
        return self.ip_sum / self.ip_scored if self.ip_scored else None

    @property
    def ikm(self) -> float | None:
        return self.skm_sum / self.skm_n if self.skm_n else None


def _num(row: Mapping[str, Any], key: str) -> float | None:
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def pooled_index(units: Mapping[str, Any], codes: Iterable[str], year: int) -> PooledIndex:
    """The indices of the units ``codes`` together, for one year."""
    out = PooledIndex(year)
    key = str(year)
    for code in codes:
        per_year = units.get(code)
        row = per_year.get(key) if isinstance(per_year, Mapping) else None
        if not isinstance(row, Mapping):
            continue
        jp = row.get("jp")
        if isinstance(jp, Mapping):
            n = int(_num(jp, "n_pns") or 0)
            out.n_pns += n
            out.pns_compliant += int(_num(jp, "pns_compliant") or 0)
            out.jp_sum += (_num(jp, "mean_jp_pns") or 0.0) * n
        ip = row.get("ip_asn")
        if isinstance(ip, Mapping):
            n = int(_num(ip, "n_scored") or 0)
            out.ip_scored += n
            out.ip_sum += (_num(ip, "mean_total") or 0.0) * n
            for band in IP_BANDS:
                out.bands[band] = out.bands.get(band, 0) + int(_num(ip, f"n_{band}") or 0)
        skm = row.get("skm")
        if isinstance(skm, Mapping) and _num(skm, "ikm") is not None:
            n = int(_num(skm, "n") or 0)
            out.skm_n += n
            out.skm_sum += (_num(skm, "ikm") or 0.0) * n
    return out
