"""A synthetic regency civil service with planted truth (pure core, no Django).

Mutu has no real data of the regency and must not pretend it does.  This
package generates, from a seed, a world that looks and behaves like a
regency's civil service over several years — employees with valid NIPs,
units, positions and standards, a competency-development program with its
activities, attendance, tests, surveys, supervisor ratings, SKM, budget and
incentives — and writes beside it the true values of five estimands, so the
evaluation can be checked against what was planted.

>>> from mutu.synthetic import generate_world
>>> world = generate_world(seed=11, scale="kecil", scenario="null")
>>> sorted(world.truth["estimands"])[:2]
['ikm_att', 'incentive_attendance_effect']

The data are synthetic; never present them as data of Kabupaten Aceh
Tenggara.  See ``docs/synthetic-world.md`` and ``docs/frames.md``.
"""

from mutu.synthetic.config import SCALES, SCENARIOS
from mutu.synthetic.output import content_hash, write_world
from mutu.synthetic.schemas import (
    FRAME_SCHEMAS,
    Column,
    FrameSchema,
    frames_markdown,
    stored_columns,
    stored_view,
)
from mutu.synthetic.truth import ESTIMANDS
from mutu.synthetic.world import World, generate_world

__all__ = [
    "ESTIMANDS",
    "FRAME_SCHEMAS",
    "SCALES",
    "SCENARIOS",
    "Column",
    "FrameSchema",
    "World",
    "content_hash",
    "frames_markdown",
    "generate_world",
    "stored_columns",
    "stored_view",
    "write_world",
]
