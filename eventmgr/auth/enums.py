import enum


class Role(enum.StrEnum):
    ADMIN = "admin"
    ORGANIZER = "organizer"
    RAPPORTEUR = "rapporteur"
    PARTICIPANT = "participant"

    @property
    def label(self) -> str:
        return self.value.capitalize()
