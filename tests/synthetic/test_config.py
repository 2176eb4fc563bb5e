"""Arguments are checked with bilingual messages; small worlds work."""

from __future__ import annotations

import pytest

from mutu.domain.errors import MutuValueError
from mutu.synthetic import generate_world
from mutu.synthetic.config import make_config, resolve_scale


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"seed": -1}, "seed"),
        ({"seed": 1, "scale": "provinsi"}, "scale"),
        ({"seed": 1, "scale": 10}, "scale"),
        ({"seed": 1, "scenario": "optimistic"}, "scenario"),
        ({"seed": 1, "years": (2026, 2023)}, "years"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"scale": "kabupaten", "scenario": "baseline", "years": (2023, 2026)}
    args.update(kwargs)
    with pytest.raises(MutuValueError) as info:
        make_config(**args)  # type: ignore[arg-type]
    assert info.value.field == field
    assert info.value.message("id") != info.value.message("en")


def test_scales() -> None:
    assert resolve_scale("kabupaten").target_asn >= 6000
    assert resolve_scale("3000").target_asn == 3000
    assert resolve_scale(3000).name == "n3000"


def test_a_small_world_with_other_years_has_everything() -> None:
    w = generate_world(seed=3, scale="kecil", scenario="baseline", years=(2024, 2026))
    assert 1200 < len(w.frames["employees"]) < 2200
    assert w.frames["activities"]["year"].between(2024, 2026).all()
    assert all(len(df) for df in w.frames.values())
    assert all(abs(e["value"]) > 0 for e in w.truth["estimands"].values())
