"""What the event overview proposes next: for the event's status and for each figure that asks
for something (registrations awaiting approval, failed mail, acceptances waiting for
registration...), one action with the way to it. No state the overview shows is a dead end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eventmgr.reports.enums import ReportStatus
from eventmgr.series.enums import EventStatus, RegistrationMode
from eventmgr.series.models import Event
from eventmgr.templating import counted

BEFORE_THE_EVENT = (EventStatus.DRAFT, EventStatus.PUBLISHED, EventStatus.REGISTRATION_OPEN,
                    EventStatus.REGISTRATION_CLOSED)
REPORT_STATE = {ReportStatus.DRAFT: "a draft", ReportStatus.IN_REVIEW: "in review",
                ReportStatus.FINAL: "final, not yet published", ReportStatus.PUBLISHED: "published"}


@dataclass(frozen=True)
class NextAction:
    """`text` says what is the case; the link or button (`label`) goes to `endpoint`."""

    text: str
    label: str
    endpoint: str
    values: dict = field(default_factory=dict)
    # A POST button with these fields instead of a link.
    post: dict | None = None
    primary: bool = False


def _status_action(event: Event, figures: dict) -> list[NextAction]:
    slug = {"slug": event.slug}
    held = figures["held"]
    opening = (f"Open registration ({counted(held, 'waiting invitee')} registered and mailed)" if held
               else "Open registration")
    status = event.status
    if status is EventStatus.DRAFT:
        return [NextAction("The event is a draft: only organizers see it. Build the agenda, then publish.",
                           "Build the agenda", "agenda.editor", slug),
                NextAction("Publishing shows the event page to everyone; registration stays closed.",
                           "Publish the event", "series.change_status", slug,
                           post={"status": EventStatus.PUBLISHED.value}, primary=True)]
    if status is EventStatus.PUBLISHED:
        actions = [NextAction("The event page is public; registration is not open yet.", opening,
                              "series.open_registration", slug, post={}, primary=True)]
        if not figures["invited"]:
            actions.append(NextAction("No one is invited yet.", "Add invitees", "invitations.dashboard",
                                      slug))
        return actions
    if status is EventStatus.REGISTRATION_OPEN:
        confirmed = counted(figures["registered"], "confirmed participant")
        actions = [NextAction(f"Registration is open: {confirmed}.", "Registrations",
                              "registry.registrations", slug, primary=True)]
        if event.registration_mode is not RegistrationMode.INVITATION_ONLY:
            actions.append(NextAction("Anyone may register through the public form.", "Registration form",
                                      "registry.register", slug))
        actions.append(NextAction("Closing registration stops new registrations; check-in works as before.",
                                  "Close registration", "series.change_status", slug,
                                  post={"status": EventStatus.REGISTRATION_CLOSED.value}))
        return actions
    if status is EventStatus.REGISTRATION_CLOSED:
        return [NextAction("Registration is closed. At the door: check participants in.", "Check-in",
                           "registry.checkin", slug, primary=True),
                NextAction("Print the name badges and the participant lists.", "Participant lists",
                           "registry.lists", slug),
                NextAction("Once the conference is over, mark it held to draft the report.", "Mark as held",
                           "series.change_status", slug, post={"status": EventStatus.HELD.value})]
    if status is EventStatus.HELD:
        report = figures["report_status"]
        if report is None:
            return [NextAction("The conference is over: the report is drafted from the rapporteurs' records.",
                               "Draft the report", "reports.workspace", slug, primary=True)]
        return [NextAction(f"The conference is over; the report is {REPORT_STATE[report]}.", "Report",
                           "reports.workspace", slug, primary=True)]
    series = {"series_slug": event.series.slug}
    return [NextAction("The report is published: the process goes on with the next conference.",
                       "Read the report", "reports.public_report", slug, primary=True),
            NextAction("Recommendations of this event, followed up at the next.", "Process view",
                       "reports.process", series),
            NextAction("Prepare the next conference of the series.", "New event", "series.create_event",
                       series)]


def _figure_actions(event: Event, figures: dict) -> list[NextAction]:
    def filtered(endpoint: str, status: str) -> dict:
        return {"endpoint": endpoint, "values": {"slug": event.slug, "status": status}}

    actions = []
    held, not_sent, unanswered = figures["held"], figures["not_sent"], figures["unanswered"]
    pending, waiting, seats_left = figures["pending"], figures["waitlisted"], figures["seats_left"]
    failed, queued, report = figures["messages_failed"], figures["messages_queued"], figures["report_status"]
    if held and event.status is not EventStatus.REGISTRATION_OPEN:
        actions.append(NextAction(f"{counted(held, 'invitee')} accepted, waiting for registration to open: "
                                  "they are registered and mailed when it opens.", "See them",
                                  **filtered("invitations.dashboard", "held")))
    if not_sent and event.status in BEFORE_THE_EVENT:
        actions.append(NextAction(f"{counted(not_sent, 'invitation')} not sent yet.", "Invitations",
                                  **filtered("invitations.dashboard", "draft")))
    if unanswered and event.status in (EventStatus.PUBLISHED, EventStatus.REGISTRATION_OPEN):
        actions.append(NextAction(f"{counted(unanswered, 'invitee')} without an answer.", "Remind them",
                                  **filtered("invitations.dashboard", "sent")))
    if pending:
        actions.append(NextAction(f"{counted(pending, 'registration')} awaiting your approval.",
                                  "Approve or decline", **filtered("registry.registrations", "pending"),
                                  primary=True))
    people_waiting = counted(waiting, "person", "people")
    if waiting and (seats_left is None or seats_left > 0):
        actions.append(NextAction(f"Seats are free while {people_waiting} wait.", "Give them the seats",
                                  **filtered("registry.registrations", "waitlisted"), primary=True))
    elif waiting and seats_left == 0:
        actions.append(NextAction(f"The event is full; {people_waiting} on the waiting list.",
                                  "Raise the capacity", "series.edit_event", {"slug": event.slug}))
    if failed:
        actions.append(NextAction(f"{counted(failed, 'message')} could not be delivered.",
                                  "See why and retry", **filtered("mail.outbox", "failed"), primary=True))
    if queued:
        actions.append(NextAction(f"{counted(queued, 'message')} waiting in the outbox.", "Mail",
                                  **filtered("mail.outbox", "queued")))
    # Once the event is held, its status's own step is the report.
    unpublished = report is not None and report is not ReportStatus.PUBLISHED
    if unpublished and event.status is not EventStatus.HELD:
        actions.append(NextAction(f"The report is {REPORT_STATE[report]}.", "Report", "reports.workspace",
                                  {"slug": event.slug}))
    return actions


def next_actions(event: Event, figures: dict) -> list[NextAction]:
    """What to do next on this event, the status's steps first, then what the figures ask for."""
    return _status_action(event, figures) + _figure_actions(event, figures)
