"""Accounts and roles: who may see and change what, scoped by unit (like DHIS2's org units)."""
