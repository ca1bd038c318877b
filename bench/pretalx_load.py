"""Load the bench agenda into pretalx: run by bench/pretalx.py with pretalx's own Python.

`PRETALX_CONFIG_FILE=... pretalx-venv/bin/python bench/pretalx_load.py agenda.json` reads the
agenda bench/pretalx.py wrote from eventmgr's bench database (rooms, sessions with their UTC
times, speakers) and makes the same programme a published pretalx schedule: an organiser, a
public event, rooms, confirmed submissions with their speakers, one slot each, frozen as v1.
It imports pretalx, never eventmgr (the two live in separate virtual environments).
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import django

django.setup()

from django.db import transaction  # noqa: E402  (after django.setup())
from django_scopes import scope, scopes_disabled  # noqa: E402
from pretalx.event.models import Event  # noqa: E402
from pretalx.event.utils import create_organiser_with_team  # noqa: E402
from pretalx.person.models import SpeakerProfile, User  # noqa: E402
from pretalx.schedule.models import Room, TalkSlot  # noqa: E402
from pretalx.submission.models import Submission  # noqa: E402


def _utc(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).astimezone(dt.UTC)


@transaction.atomic
def load(agenda: dict) -> None:
    with scopes_disabled():
        organiser, _ = create_organiser_with_team(name="Bench", slug="benchorg", users=[])
        event = Event.objects.create(
            name=agenda["title"], slug=agenda["slug"], organiser=organiser, is_public=True,
            date_from=dt.date.fromisoformat(agenda["start_date"]),
            date_to=dt.date.fromisoformat(agenda["end_date"]), timezone=agenda["timezone"],
            email="bench@example.org", locale_array="en", locale="en")
    with scope(event=event):
        event.build_initial_data()
        talk = event.submission_types.first()
        rooms = {room["id"]: Room.objects.create(event=event, name=room["name"], position=room["position"])
                 for room in agenda["rooms"]}
        users: dict[str, User] = {}
        for person in agenda["people"]:
            user = User.objects.create_user(name=person["name"], email=person["email"], locale="en")
            SpeakerProfile.objects.create(user=user, event=event, biography="")
            users[person["email"]] = user
        for session in agenda["sessions"]:
            submission = Submission.objects.create(
                event=event, title=session["title"], submission_type=talk, abstract=session["description"],
                state="confirmed", content_locale="en")
            submission.speakers.add(*(users[email] for email in session["speakers"]))
            TalkSlot.objects.create(submission=submission, schedule=event.wip_schedule,
                                    room=rooms.get(session["room_id"]), start=_utc(session["starts_at"]),
                                    end=_utc(session["ends_at"]), is_visible=True)
        event.wip_schedule.freeze("v1", notify_speakers=False)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as source:
        load(json.load(source))
