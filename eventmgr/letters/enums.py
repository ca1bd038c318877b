import enum


class LetterKind(enum.StrEnum):
    VISA = "visa"
    CERTIFICATE = "certificate"

    @property
    def label(self) -> str:
        return {"visa": "Visa-support letter", "certificate": "Certificate of attendance"}[self.value]

    @property
    def plural(self) -> str:
        return {"visa": "visa-support letters", "certificate": "certificates of attendance"}[self.value]

    @property
    def file_stem(self) -> str:
        return {"visa": "visa-letter", "certificate": "certificate"}[self.value]
