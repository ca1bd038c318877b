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


class SessionRoleKind(enum.StrEnum):
    CHAIR = "chair"
    MODERATOR = "moderator"
    SPEAKER = "speaker"
    PANELIST = "panelist"
    RAPPORTEUR = "rapporteur"

    @property
    def label(self) -> str:
        return self.value.capitalize()
