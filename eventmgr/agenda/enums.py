import enum


class SessionKind(enum.StrEnum):
    OPENING = "opening"
    PLENARY = "plenary"
    PANEL = "panel"
    BREAKOUT = "breakout"
    KEYNOTE = "keynote"
    BREAK = "break"
    RECEPTION = "reception"
    CLOSING = "closing"

    @property
    def label(self) -> str:
        return "Break-out session" if self is SessionKind.BREAKOUT else self.value.capitalize()

    @property
    def default_minutes(self) -> int:
        """The length a new item of this kind starts with."""
        return DEFAULT_MINUTES[self]


class SessionRoleKind(enum.StrEnum):
    CHAIR = "chair"
    MODERATOR = "moderator"
    SPEAKER = "speaker"
    PANELIST = "panelist"
    RAPPORTEUR = "rapporteur"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def plural(self) -> str:
        return f"{self.label}s"


DEFAULT_MINUTES = {
    SessionKind.OPENING: 30, SessionKind.PLENARY: 60, SessionKind.PANEL: 90, SessionKind.BREAKOUT: 90,
    SessionKind.KEYNOTE: 45, SessionKind.BREAK: 30, SessionKind.RECEPTION: 120, SessionKind.CLOSING: 30,
}
