import enum


class PostKind(enum.StrEnum):
    ANNOUNCEMENT = "announcement"
    POST = "post"


class DataRequestKind(enum.StrEnum):
    EXPORT = "export"
    DELETION = "deletion"


class DataRequestStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return self.value.capitalize()
