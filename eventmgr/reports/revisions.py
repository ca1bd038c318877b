"""Report revisions stored as what changed.

A revision keeps either the whole report (`snapshot`: the first, every CHECKPOINT_EVERY-th,
and any whose changes would be larger than half the report) or its changes against the
revision before (`changes`): the fields that changed, and for each section whether it is
the same as one before, edited (title, kind, and its text as line operations on the old
text), or new. Any revision is rebuilt from the checkpoint before it in one query, so every
old revision can still be shown, compared and restored, while a hundred saves of a 200 KB
report that change a section each cost a few MB, not a hundred copies.

The changes format (JSON):
    {"fields": {"title": ..., "letter": {...}},       # only what changed
     "sections": [{"same": 2},                        # section 2 of the revision before
                  {"from": 0, "title": "...", "body": [[0, 40], "new line\\n", [41, 90]]},
                  {"new": {"id": 7, "kind": "free", "title": "...", "body": "..."}}]}
A body's operations are [start, end] (copy those lines of the old text) or a string (new text).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence

from sqlalchemy import func, select

from eventmgr.extensions import db
from eventmgr.reports.models import ReportRevision

CHECKPOINT_EVERY = 20
FIELDS = ("title", "subtitle", "numbered", "status", "letter")


# ---------------------------------------------------------------- text

def text_operations(old: str, new: str) -> list:
    """`new` as operations on the lines of `old` (see the module docstring)."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    operations: list = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=len(old_lines) > 200)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            operations.append([old_start, old_end])
        elif new_end > new_start:  # replace or insert; a delete adds nothing
            operations.append("".join(new_lines[new_start:new_end]))
    return operations


def apply_operations(old: str, operations: Sequence) -> str:
    old_lines = old.splitlines(keepends=True)
    return "".join(operation if isinstance(operation, str) else "".join(old_lines[slice(*operation)])
                   for operation in operations)


# ---------------------------------------------------------------- snapshots

def _match(old_sections: list[dict], section: dict, index: int) -> int | None:
    """The section of the revision before that `section` continues: the same id, or for
    revisions stored without ids, the one at the same place."""
    if section.get("id") is not None:
        return next((i for i, old in enumerate(old_sections) if old.get("id") == section["id"]), None)
    return index if index < len(old_sections) else None


def changes_between(old: dict, new: dict) -> dict:
    """What turns snapshot `old` into snapshot `new`."""
    changes: dict = {}
    fields = {key: new[key] for key in FIELDS if new.get(key) != old.get(key)}
    if fields:
        changes["fields"] = fields
    old_sections = old["sections"]
    sections = []
    for index, section in enumerate(new["sections"]):
        source = _match(old_sections, section, index)
        if source is None:
            sections.append({"new": section})
            continue
        before = old_sections[source]
        if section == before:
            sections.append({"same": source})
            continue
        edited: dict = {"from": source}
        for key in ("id", "kind", "title"):
            if section.get(key) != before.get(key):
                edited[key] = section.get(key)
        if section["body"] != before["body"]:
            edited["body"] = text_operations(before["body"], section["body"])
        sections.append(edited)
    if sections != [{"same": i} for i in range(len(old_sections))]:
        changes["sections"] = sections
    return changes


def apply_changes(old: dict, changes: dict) -> dict:
    new = {key: old.get(key) for key in FIELDS} | changes.get("fields", {})
    if "sections" not in changes:
        new["sections"] = old["sections"]
        return new
    sections = []
    for step in changes["sections"]:
        if "new" in step:
            sections.append(step["new"])
        elif "same" in step:
            sections.append(old["sections"][step["same"]])
        else:
            before = old["sections"][step["from"]]
            section = dict(before) | {key: step[key] for key in ("id", "kind", "title") if key in step}
            if "body" in step:
                section["body"] = apply_operations(before["body"], step["body"])
            sections.append(section)
    new["sections"] = sections
    return new


# ---------------------------------------------------------------- revisions

def _size(data: dict) -> int:
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _chain(revision: ReportRevision) -> list[ReportRevision]:
    """The revisions from the last whole snapshot up to `revision` (two queries)."""
    if revision.snapshot is not None:
        return [revision]
    checkpoint = db.session.scalar(
        select(func.max(ReportRevision.number)).where(
            ReportRevision.report_id == revision.report_id, ReportRevision.number < revision.number,
            ReportRevision.snapshot.is_not(None)))
    return list(db.session.scalars(
        select(ReportRevision).where(ReportRevision.report_id == revision.report_id,
                                     ReportRevision.number.between(checkpoint, revision.number))
        .order_by(ReportRevision.number)))


def _rebuild(chain: list[ReportRevision]) -> dict:
    snapshot = chain[0].snapshot
    for step in chain[1:]:
        snapshot = apply_changes(snapshot, step.changes)
    return snapshot


def snapshot_of(revision: ReportRevision) -> dict:
    """The whole report as it stood at `revision`."""
    return _rebuild(_chain(revision))


def stored_form(previous: ReportRevision | None, snapshot: dict) -> dict:
    """The columns of the revision after `previous`: the whole snapshot, or its changes."""
    if previous is None:
        return {"snapshot": snapshot, "changes": None}
    chain = _chain(previous)
    changes = changes_between(_rebuild(chain), snapshot)
    if len(chain) >= CHECKPOINT_EVERY or _size(changes) > _size(snapshot) // 2:
        return {"snapshot": snapshot, "changes": None}
    return {"snapshot": None, "changes": changes}
