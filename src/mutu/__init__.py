"""Mutu: plan, run and evaluate competency development for Indonesian civil servants."""

__version__ = "0.1.0"
