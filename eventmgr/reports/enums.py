import enum


class FollowUpStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    FINAL = "final"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def next_statuses(self) -> tuple["ReportStatus", ...]:
        """Forward one step, or back to draft for more work; a published report can be withdrawn."""
        return REPORT_TRANSITIONS[self]


REPORT_TRANSITIONS: dict[ReportStatus, tuple[ReportStatus, ...]] = {
    ReportStatus.DRAFT: (ReportStatus.IN_REVIEW,),
    ReportStatus.IN_REVIEW: (ReportStatus.FINAL, ReportStatus.DRAFT),
    ReportStatus.FINAL: (ReportStatus.PUBLISHED, ReportStatus.DRAFT),
    ReportStatus.PUBLISHED: (ReportStatus.FINAL,),
}


class SectionKind(enum.StrEnum):
    """The parts of a conference report, in the order the draft places them."""

    BACKGROUND = "background"
    GOALS_COMPOSITION = "goals_composition"
    KEY_FINDINGS = "key_findings"
    HIGHLIGHTS = "highlights"
    NEXT_STEPS = "next_steps"
    CONCLUSION = "conclusion"
    ENCLOSURE = "enclosure"
    FREE = "free"

    @property
    def label(self) -> str:
        return SECTION_TITLES[self]

    @property
    def generated(self) -> bool:
        """Drafted from the event; a free section is the editor's own."""
        return self is not SectionKind.FREE


SECTION_TITLES: dict[SectionKind, str] = {
    SectionKind.BACKGROUND: "Background",
    SectionKind.GOALS_COMPOSITION: "Goals and composition",
    SectionKind.KEY_FINDINGS: "Key findings",
    SectionKind.HIGHLIGHTS: "Highlights of presentations and discussion",
    SectionKind.NEXT_STEPS: "Next steps",
    SectionKind.CONCLUSION: "Conclusion",
    SectionKind.ENCLOSURE: "List of participants",
    SectionKind.FREE: "Additional section",
}
