import enum


class InvitationStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TENTATIVE = "tentative"
    REGISTERED = "registered"

    @property
    def label(self) -> str:
        return {"draft": "Not sent"}.get(self.value, self.value.capitalize())
