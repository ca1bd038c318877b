import enum


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    REGISTRATION_OPEN = "registration_open"
    REGISTRATION_CLOSED = "registration_closed"
    HELD = "held"
    REPORTED = "reported"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_public(self) -> bool:
        return self is not EventStatus.DRAFT


# The lifecycle moves forward one step; an organizer may also step back one
# (e.g. reopen registration), never jump.
EVENT_STATUS_ORDER: tuple[EventStatus, ...] = tuple(EventStatus)


class RegistrationMode(enum.StrEnum):
    OPEN = "open"
    INVITATION_ONLY = "invitation_only"
    APPROVAL = "approval"

    @property
    def label(self) -> str:
        return {"open": "Open to all", "invitation_only": "By invitation only",
                "approval": "Open, subject to approval"}[self.value]


class OrganizerRole(enum.StrEnum):
    HOST = "host"
    CO_ORGANIZER = "co_organizer"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return self.value.replace("_", "-").capitalize()
