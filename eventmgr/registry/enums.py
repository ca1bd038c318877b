import enum


class OrganizationKind(enum.StrEnum):
    # A State taking part as such (its delegation or government as a whole).
    STATE = "state"
    GOVERNMENT = "government"
    INTERNATIONAL = "international"
    REGIONAL = "regional"
    COMPANY = "company"
    INDUSTRY_ASSOCIATION = "industry_association"
    ACADEMIA = "academia"
    THINK_TANK = "think_tank"
    NGO = "ngo"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "state": "State (delegation or government as a whole)",
            "government": "Government authority",
            "international": "International organization",
            "regional": "Regional organization",
            "company": "Company",
            "industry_association": "Industry association",
            "academia": "Academia",
            "think_tank": "Think tank",
            "ngo": "Non-governmental organization",
            "other": "Other",
        }[self.value]

    @property
    def category(self) -> "ListCategory":
        return KIND_CATEGORY[self]


class ListCategory(enum.StrEnum):
    """The four paragraphs of the UN-style participant enclosure, in order."""

    STATES = "states"
    ORGANIZATIONS = "organizations"
    INDUSTRY = "industry"
    OTHERS = "others"

    @property
    def heading(self) -> str:
        return {
            "states": "States and Government authorities",
            "organizations": "International and regional organizations",
            "industry": "Companies and industry associations",
            "others": "Academia, think tanks and other entities",
        }[self.value]


KIND_CATEGORY: dict[OrganizationKind, ListCategory] = {
    OrganizationKind.STATE: ListCategory.STATES,
    OrganizationKind.GOVERNMENT: ListCategory.STATES,
    OrganizationKind.INTERNATIONAL: ListCategory.ORGANIZATIONS,
    OrganizationKind.REGIONAL: ListCategory.ORGANIZATIONS,
    OrganizationKind.COMPANY: ListCategory.INDUSTRY,
    OrganizationKind.INDUSTRY_ASSOCIATION: ListCategory.INDUSTRY,
    OrganizationKind.ACADEMIA: ListCategory.OTHERS,
    OrganizationKind.THINK_TANK: ListCategory.OTHERS,
    OrganizationKind.NGO: ListCategory.OTHERS,
    OrganizationKind.OTHER: ListCategory.OTHERS,
}


class OrganizationSize(enum.StrEnum):
    """Company size, where known: both seed reports single out small and medium-sized enterprises."""

    SME = "sme"
    LARGE = "large"

    @property
    def label(self) -> str:
        return {"sme": "Small or medium-sized enterprise", "large": "Large enterprise"}[self.value]


class EnclosureLayout(enum.StrEnum):
    """How the enclosure sets out its entries."""

    RUN_IN = "run-in"  # one paragraph per category, entries separated by commas (UN documents)
    LINES = "lines"  # each category's heading, then one entry a line

    @property
    def label(self) -> str:
        return {"run-in": "One paragraph per category", "lines": "One entry per line"}[self.value]


class Sector(enum.StrEnum):
    NUCLEAR = "nuclear"
    CHEMICAL = "chemical"
    BIOLOGICAL = "biological"
    AEROSPACE = "aerospace"
    IT_TELECOM = "it_telecom"
    TRANSPORT_LOGISTICS = "transport_logistics"
    FINANCE = "finance"
    BROKERING = "brokering"
    CUSTOMS_PORTS = "customs_ports"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "it_telecom": "IT / telecom",
            "transport_logistics": "Transport / logistics",
            "customs_ports": "Customs / ports",
        }.get(self.value, self.value.capitalize())


class NameOrder(enum.StrEnum):
    """How a person writes their name: "Arnold Wallraff" or, family name first, "Li Hong"."""

    GIVEN_FAMILY = "given_family"
    FAMILY_GIVEN = "family_given"

    @property
    def label(self) -> str:
        return {"given_family": "Given name first (Arnold Wallraff)",
                "family_given": "Family name first (Li Hong)"}[self.value]


class NameStyle(enum.StrEnum):
    """How a name is printed: as the person writes it, or as UN participant lists print it."""

    AS_WRITTEN = "as_written"
    UN_LIST = "un_list"

    @property
    def label(self) -> str:
        return {"as_written": "As written (Mr. Arnold Wallraff)",
                "un_list": "UN list style, family name in capitals (Mr. Arnold WALLRAFF)"}[self.value]


class ParticipantRole(enum.StrEnum):
    PARTICIPANT = "participant"
    SPEAKER = "speaker"
    CHAIR = "chair"
    MODERATOR = "moderator"
    PANELIST = "panelist"
    RAPPORTEUR = "rapporteur"
    ORGANIZER = "organizer"
    OBSERVER = "observer"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"waitlisted": "On the waiting list"}.get(self.value, self.value.capitalize())


class Attendance(enum.StrEnum):
    ATTENDED = "attended"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return {"no_show": "No-show"}.get(self.value, self.value.capitalize())


class ListVisibility(enum.StrEnum):
    """What the public participant list of an event shows."""

    NONE = "none"
    ORGANIZATIONS = "organizations"
    PERSONS = "persons"

    @property
    def label(self) -> str:
        return {
            "none": "Not published",
            "organizations": "Organizations only",
            "persons": "Persons who consented, with their organizations",
        }[self.value]
