"""Saved plan scenarios (issue 9): next year's plan under a budget, stored and compared."""
