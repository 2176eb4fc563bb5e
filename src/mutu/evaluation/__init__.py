"""Statistics of the evaluation: Kirkpatrick L1–L4 and Phillips L5 (pure core).

Every function takes a DataFrame or arrays and returns a frozen, typed result
(see :mod:`mutu.evaluation.result`) with ``.to_frame()`` and ``.summary(lang)``.
Defaults follow R, so anyone can check a number against R.
"""
