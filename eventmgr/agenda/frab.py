"""Conference schedule in the frab XML and c3voc JSON shapes that schedule apps read."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

import orjson
from lxml import etree

from eventmgr.agenda.exportmeta import ExportMeta
from eventmgr.agenda.people import grouped_roles, holder_text, people_lines
from eventmgr.text import writable

GENERATOR = {"name": "eventmgr", "version": "1.0"}
SIDE_EVENT_TRACK = "Side event"
# Person ids are integers apps key speakers by (ConfClerk links talks to people with them):
# a person's is their row id; organizations and States on panels get theirs from these bases.
ORGANIZATION_ID_BASE = 1_000_000_000
STATE_ID_BASE = 2_000_000_000


def _ascii_slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "session"


def acronym(event) -> str:
    """The event's slug in the form the JSON schema accepts (letters, digits, underscores)."""
    text = re.sub(r"[^a-z0-9_]", "_", event.slug.lower())
    return text if len(text) >= 4 else f"{text}____"[:4]


def _duration(session) -> str:
    """HH:MM; "00:00" for an item with an open end."""
    if session.ends_at is None:
        return "00:00"
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def state_person_id(code: str) -> int:
    return STATE_ID_BASE + (ord(code[0]) - 64) * 26 + (ord(code[1]) - 64)


def _person(role, meta: ExportMeta) -> dict | None:
    """A role holder as a schedule person; a function alone is no person (it stays in the
    description)."""
    if role.person_id is not None:
        identifier, guid = role.person_id, meta.guid("person", role.person_id)
    elif role.organization_id is not None:
        identifier = ORGANIZATION_ID_BASE + role.organization_id
        guid = meta.guid("organization", role.organization_id)
    elif role.state:
        identifier, guid = state_person_id(role.state), meta.guid("state", role.state)
    else:
        return None
    return {"id": identifier, "guid": guid, "name": holder_text(role)}


def schedule_data(event, sessions: Sequence, meta: ExportMeta) -> dict:
    """The schedule as the c3voc JSON document; the XML is written from the same data.

    Items without a time are left out (apps need one), and so are days without items. The
    description lists the people by role ("Chair: …"), which apps show and our import reads.
    """
    zone = event.zone
    days = []
    by_day: dict[dt.date, dict[str, list]] = {}
    # Schedule apps place every item in a room: one with none takes place at the venue at large.
    venue = event.place or event.title
    for session in sessions:
        if session.starts_at is None:
            continue
        start = session.starts_at.astimezone(zone)
        room = session.room.name if session.room else venue
        # In the description's order (by role), so a schedule read back lists them alike.
        persons = [person for _, roles in grouped_roles(session.roles)
                   for person in (_person(role, meta) for role in roles) if person]
        by_day.setdefault(start.date(), {}).setdefault(room, []).append({
            "guid": meta.session_guid(session.id), "id": session.id,
            "date": start.isoformat(), "start": start.strftime("%H:%M"), "duration": _duration(session),
            "room": room, "slug": f"{acronym(event)}-{session.id}-{_ascii_slug(session.title)}",
            "url": meta.session_url(session.id),
            "title": session.title + (" (cancelled)" if session.is_cancelled else ""),
            "subtitle": "", "track": SIDE_EVENT_TRACK if session.is_side_event else session.kind.label,
            "type": session.kind.label, "language": "en", "abstract": session.description,
            "description": "\n".join(people_lines(session)), "persons": persons, "links": [],
        })
    for index, day in enumerate(sorted(by_day), start=1):
        day_start = dt.datetime.combine(day, dt.time(0), zone)
        days.append({"index": index, "date": day.isoformat(), "day_start": day_start.isoformat(),
                     "day_end": dt.datetime.combine(day, dt.time(23, 59), zone).isoformat(),
                     "rooms": by_day[day]})
    room_names = sorted({name for rooms in by_day.values() for name in rooms})
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": GENERATOR,
        "schedule": {
            "version": f"{meta.version} ({meta.updated_at:%Y-%m-%d %H:%M})",
            "base_url": meta.agenda_url,
            "conference": {
                "acronym": acronym(event), "title": event.title,
                "start": min([event.start_date, *by_day]).isoformat(),
                "end": max([event.end_date, *by_day]).isoformat(),
                "daysCount": len(days), "timeslot_duration": "00:05", "time_zone_name": event.timezone,
                "url": meta.agenda_url,
                "rooms": [{"name": name, "guid": meta.guid("room", f"{event.id}-{name}")}
                          for name in room_names],
                "days": days,
            },
        },
    }


def schedule_json(event, sessions: Sequence, meta: ExportMeta) -> bytes:
    # Compact UTF-8, as json.dumps(ensure_ascii=False, separators=(",", ":")) wrote it.
    return orjson.dumps(schedule_data(event, sessions, meta))


_TALK_FIELDS = ("room", "title", "subtitle", "type", "date", "start", "duration", "abstract", "slug", "track",
                "language", "description", "url")


def schedule_xml(event, sessions: Sequence, meta: ExportMeta) -> bytes:
    # lxml refuses text XML 1.0 cannot hold: a control character stored in a title would stop
    # it, so every text is made writable as it is set (not by copying the whole document first).
    data = schedule_data(event, sessions, meta)["schedule"]
    conference = data["conference"]
    sub = etree.SubElement
    root = etree.Element("schedule")
    sub(root, "generator", name=GENERATOR["name"], version=GENERATOR["version"])
    sub(root, "version").text = writable(data["version"])
    head = sub(root, "conference")
    for key in ("title", "acronym", "start", "end"):
        sub(head, key).text = writable(conference[key])
    sub(head, "days").text = str(conference["daysCount"])
    for key in ("timeslot_duration", "time_zone_name"):
        sub(head, key).text = writable(conference[key])
    sub(head, "base_url").text = writable(data["base_url"])
    room_guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = sub(root, "day", index=str(day["index"]), date=day["date"], start=day["day_start"],
                          end=day["day_end"])
        for room_name, talks in day["rooms"].items():
            room_element = sub(day_element, "room", name=writable(room_name), guid=room_guids[room_name])
            for talk in talks:
                element = sub(room_element, "event", guid=talk["guid"], id=str(talk["id"]))
                for key in _TALK_FIELDS:
                    sub(element, key).text = writable(talk[key])
                persons = sub(element, "persons")
                for person in talk["persons"]:
                    name = writable(person["name"])
                    sub(persons, "person", id=str(person["id"]), guid=person["guid"]).text = name
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
