"""Conference schedule in the frab XML and c3voc JSON shapes that schedule apps read."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Sequence

from lxml import etree

from eventmgr.agenda.exportmeta import ExportMeta
from eventmgr.text import writable_deep

GENERATOR = {"name": "eventmgr", "version": "1.0"}


def _ascii_slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "session"


def acronym(event) -> str:
    """The event's slug in the form the JSON schema accepts (letters, digits, underscores)."""
    text = re.sub(r"[^a-z0-9_]", "_", event.slug.lower())
    return text if len(text) >= 4 else f"{text}____"[:4]


def _duration(session) -> str:
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def schedule_data(event, sessions: Sequence, meta: ExportMeta) -> dict:
    """The schedule as the c3voc JSON document; the XML is written from the same data."""
    zone = event.zone
    days = []
    by_day: dict[dt.date, dict[str, list]] = {day: {} for day in event.days}
    persons_seen = {}
    # Schedule apps place every item in a room: one with none takes place at the venue at large.
    venue = event.place or event.title
    for session in sessions:
        start = session.starts_at.astimezone(zone)
        room = session.room.name if session.room else venue
        persons = []
        for role in session.roles:
            persons_seen[role.person_id] = role.person
            persons.append({"name": role.person.display_name,
                            "guid": meta.guid("person", role.person_id)})
        by_day.setdefault(start.date(), {}).setdefault(room, []).append({
            "guid": meta.session_guid(session.id), "id": session.id,
            "date": start.isoformat(), "start": start.strftime("%H:%M"), "duration": _duration(session),
            "room": room, "slug": f"{acronym(event)}-{session.id}-{_ascii_slug(session.title)}",
            "url": meta.session_url(session.id),
            "title": session.title + (" (cancelled)" if session.is_cancelled else ""),
            "subtitle": "", "track": session.kind.label, "type": session.kind.label, "language": "en",
            "abstract": session.description, "description": "", "persons": persons, "links": [],
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
                "start": event.start_date.isoformat(), "end": event.end_date.isoformat(),
                "daysCount": len(days), "timeslot_duration": "00:05", "time_zone_name": event.timezone,
                "url": meta.agenda_url,
                "rooms": [{"name": name, "guid": meta.guid("room", f"{event.id}-{name}")}
                          for name in room_names],
                "days": days,
            },
        },
    }


def schedule_json(event, sessions: Sequence, meta: ExportMeta) -> bytes:
    # No indent: it would switch json to its pure-Python encoder, several times slower.
    data = schedule_data(event, sessions, meta)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def schedule_xml(event, sessions: Sequence, meta: ExportMeta) -> bytes:
    # lxml refuses text XML 1.0 cannot hold: a control character stored in a title would stop it.
    data = writable_deep(schedule_data(event, sessions, meta)["schedule"])
    conference = data["conference"]
    root = etree.Element("schedule")
    etree.SubElement(root, "generator", name=GENERATOR["name"], version=GENERATOR["version"])
    etree.SubElement(root, "version").text = data["version"]
    head = etree.SubElement(root, "conference")
    for key in ("title", "acronym", "start", "end"):
        etree.SubElement(head, key).text = conference[key]
    etree.SubElement(head, "days").text = str(conference["daysCount"])
    for key in ("timeslot_duration", "time_zone_name"):
        etree.SubElement(head, key).text = conference[key]
    etree.SubElement(head, "base_url").text = data["base_url"]
    room_guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = etree.SubElement(root, "day", index=str(day["index"]), date=day["date"],
                                       start=day["day_start"], end=day["day_end"])
        for room_name, talks in day["rooms"].items():
            room_element = etree.SubElement(day_element, "room", name=room_name, guid=room_guids[room_name])
            for talk in talks:
                element = etree.SubElement(room_element, "event", guid=talk["guid"], id=str(talk["id"]))
                for key in ("room", "title", "subtitle", "type", "date", "start", "duration", "abstract",
                            "slug", "track", "language", "description", "url"):
                    etree.SubElement(element, key).text = talk[key]
                persons = etree.SubElement(element, "persons")
                for person in talk["persons"]:
                    etree.SubElement(persons, "person", guid=person["guid"]).text = person["name"]
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
