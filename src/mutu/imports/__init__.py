"""Data in and out: Excel and CSV imports that never corrupt, and exports in the same shape.

``mutu import KIND FILE`` reads a workbook or CSV file, validates every row
before anything is written, then writes all of it in one transaction or
nothing; ``mutu export KIND --out FILE`` writes the same columns back.  See
``docs/imports.md``.
"""
