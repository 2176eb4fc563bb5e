"""Independent random streams, one per component of the world.

The world is drawn from ``numpy.random.Generator(PCG64(...))`` generators
spawned from one ``SeedSequence(seed)``.  Each component (the workforce, the
names, the SKM survey, …) has its own child stream, found by its position
in :data:`COMPONENTS`, so a change in how many numbers one component draws
never shifts another component's numbers.  New components are appended at
the end of the tuple, which leaves the existing streams unchanged.

The effect sizes of a scenario are never used to decide how many numbers are
drawn: every draw that an effect could influence is made for the whole
population it could apply to, and the effect only moves a threshold.  The
``null``, ``baseline`` and ``strong`` worlds of one seed therefore share
their people, units, activities, nominations, offers, adoption years and all
noise (common random numbers).
"""

from __future__ import annotations

import numpy as np

#: The components, in spawn order.  Append only.
COMPONENTS: tuple[str, ...] = (
    "organisation",
    "workforce",
    "names",
    "records",
    "program",
    "nomination",
    "incentives",
    "attendance",
    "instruments",
    "tests",
    "reaction",
    "ratings",
    "magang",
    "skm",
    "ledger",
    "costs",
    "tokens",
    "raw",
)


class Streams:
    """The per-component generators of one seed.

    Parameters
    ----------
    seed
        The world's seed (a non-negative integer).

    Examples
    --------
    >>> s = Streams(11)
    >>> float(s["skm"].random()) == float(Streams(11)["skm"].random())
    True
    """

    def __init__(self, seed: int) -> None:
        children = np.random.SeedSequence(seed).spawn(len(COMPONENTS))
        self._gens = {
            name: np.random.Generator(np.random.PCG64(child))
            for name, child in zip(COMPONENTS, children, strict=True)
        }

    def __getitem__(self, component: str) -> np.random.Generator:
        return self._gens[component]
