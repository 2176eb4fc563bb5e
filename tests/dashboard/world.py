"""One small synthetic world for the web tests, built once per process.

``dashboard_world`` loads the world into the test database, evaluates it with
``mutu evaluate`` (the first time; later modules store the same results JSON
again instead of recomputing it) and gives each role a user.  Everything is
written inside one transaction that the caller rolls back at the end of its
module, so other tests still start from an empty database.
"""

from __future__ import annotations

import atexit
import copy
import shutil
import tempfile
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management import call_command

from mutu.accounts.models import Role
from mutu.accounts.services import role_assign
from mutu.console.world_load import world_load
from mutu.evaluation.pipeline import EvaluationPlan, evaluate
from mutu.evaluations.models import EvaluationRun
from mutu.evaluations.selectors import frames_fingerprint
from mutu.evaluations.services import evaluation_run_store
from mutu.people.models import Employee, Unit
from mutu.programs.models import Activity, Enrollment
from mutu.synthetic import generate_world, stored_view, write_world

SEED = 5
#: The unit of the unit head (a Dinas with sub-units) and of the operator.
HEAD_UNIT = "DINKES"
OPERATOR_UNIT = "RSUD"

_cache: dict[str, Any] = {}


def world_folder() -> Path:
    """The world's files, written once per process into a temporary folder."""
    if "folder" not in _cache:
        root = Path(tempfile.mkdtemp(prefix="mutu-web-world-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        write_world(generate_world(seed=SEED, scale="kecil"), root / "world")
        _cache["folder"] = root / "world"
    folder: Path = _cache["folder"]
    return folder


def evaluation_json() -> dict[str, Any]:
    """The world's evaluation results (as ``mutu evaluate`` stores them), computed once.

    Computed from the world's frames by the pipeline when no test has run
    ``mutu evaluate`` on the loaded world yet (the database gives back the same
    frames, see tests/evaluations/test_selectors.py).
    """
    if "results" not in _cache:
        frames = stored_view(generate_world(seed=SEED, scale="kecil").frames)
        results = evaluate(frames, plan=EvaluationPlan()).to_json()
        results["data_hash"] = frames_fingerprint(frames)
        _cache["results"] = results
        _cache["plan"] = EvaluationPlan().to_dict()
    results: dict[str, Any] = copy.deepcopy(_cache["results"])
    return results


@dataclass
class DashboardWorld:
    """The loaded world: its stored evaluation and one user per role."""

    run: EvaluationRun
    results: dict[str, Any]
    users: dict[str, AbstractBaseUser] = field(default_factory=dict)
    head_unit: Unit | None = None
    operator_unit: Unit | None = None
    participant: Employee | None = None
    supervisor: Employee | None = None
    activity: Activity | None = None

    @property
    def year(self) -> int:
        return int(self.results["data"]["year"])


def _user(name: str, role: str, **covers: Any) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(username=name, password=None)
    role_assign(user_id=user.pk, role=role, **covers)
    return user


def dashboard_world() -> DashboardWorld:
    """Load, evaluate and create the users (call inside a transaction that is rolled back)."""
    world_load(directory=world_folder())
    if "results" not in _cache:
        call_command("evaluate", stdout=StringIO())
        run = EvaluationRun.objects.get()
        _cache["results"] = copy.deepcopy(run.results)
        _cache["plan"] = copy.deepcopy(run.plan)
    else:
        run = evaluation_run_store(
            results=copy.deepcopy(_cache["results"]),
            data_hash=_cache["results"]["data_hash"],
            year=None,
            plan=copy.deepcopy(_cache["plan"]),
        )
    world = DashboardWorld(run=run, results=_cache["results"])
    world.head_unit = Unit.objects.get(code=HEAD_UNIT)
    world.operator_unit = Unit.objects.get(code=OPERATOR_UNIT)
    done = (
        Enrollment.objects.filter(
            status="completed",
            employee__supervisor__isnull=False,
            activity__start_date__year=world.year,
        )
        .select_related("employee", "employee__supervisor", "activity")
        .order_by("employee__nip")
        .first()
    )
    assert done is not None and done.employee.supervisor is not None
    world.participant = done.employee
    world.supervisor = done.employee.supervisor
    world.activity = done.activity
    world.users = {
        "admin": _user("t-admin", Role.ADMIN),
        "analyst": _user("t-analyst", Role.ANALYST),
        "head": _user("t-head", Role.UNIT_HEAD, unit=world.head_unit),
        "operator": _user("t-operator", Role.UNIT_OPERATOR, unit=world.operator_unit),
        "trainer": _user("t-trainer", Role.TRAINER, activity=world.activity),
        "participant": _user("t-participant", Role.PARTICIPANT, employee=world.participant),
        "supervisor": _user("t-supervisor", Role.SUPERVISOR, employee=world.supervisor),
        "nobody": get_user_model().objects.create_user(username="t-nobody", password=None),
    }
    return world
