"""Internships (magang) on the web: placements, the weekly logbook, the mentor's review and rubric.

The models live in the programs app (:mod:`mutu.programs.models.internships`);
this app holds the pages, their selectors (reads, scoped) and services (writes).
"""
