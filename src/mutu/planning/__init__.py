"""Planning: needs analysis, budget optimisation and participation (pure core, no Django).

* :mod:`mutu.planning.needs` — per ASN: JP deficit, competency gaps, mandatory
  training due, time since last development; per unit and competency.
* :mod:`mutu.planning.budget` — a mixed-integer plan (HiGHS through
  :func:`scipy.optimize.milp`) of classes and seats, weighted by the measured
  effectiveness of each form of activity.
* :mod:`mutu.planning.participation` — the funnel, a held-out-validated model of
  non-attendance, and incentive policies simulated with the evaluation's effect.
* :mod:`mutu.planning.discrimination` — AUC with DeLong and Hanley–McNeil intervals,
  calibration tables.

See ``docs/planning.md``.
"""
