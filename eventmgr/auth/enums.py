import enum


class Role(enum.StrEnum):
    ADMIN = "admin"
    ORGANIZER = "organizer"
    RAPPORTEUR = "rapporteur"
    PARTICIPANT = "participant"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class TokenPurpose(enum.StrEnum):
    SET_PASSWORD = "set_password"
    RESET_PASSWORD = "reset_password"
