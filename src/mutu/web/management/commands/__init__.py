"""``mutu serve``."""
