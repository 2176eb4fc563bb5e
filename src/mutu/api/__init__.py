"""The REST API under ``/api/``: scoped reads, idempotent writes, an OpenAPI 3 schema.

See docs/api.md.
"""
