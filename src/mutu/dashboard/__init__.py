"""Dashboards drillable from regency → unit → activity → person, for a chosen year."""
