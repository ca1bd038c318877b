"""The demo process: the Wiesbaden process on resolution 1540 (2004), 2012-2014.

Places, dates, hosts, themes and organizations follow the published reports; the
people are fictitious. Loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from eventmgr.agenda import roles as agenda_roles
from eventmgr.agenda import service as agenda_service
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.models import AgendaSession, SessionRole
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.invitations.demo import load_frankfurt_invitations
from eventmgr.letters.demo import load_frankfurt_letterhead
from eventmgr.normalize import name_key, normalize_email, organization_key
from eventmgr.registry.enums import (
    ListVisibility,
    OrganizationKind,
    OrganizationSize,
    Sector,
)
from eventmgr.registry.models import (
    Organization,
    OrganizationAlias,
    OrganizationSector,
    ParticipantListSetting,
    Person,
)
from eventmgr.registry.registration import check_in, register_participant
from eventmgr.reports.demo import load_frankfurt_records, load_wiesbaden_records, load_wiesbaden_report
from eventmgr.series import service as series_service
from eventmgr.series.enums import EventStatus, OrganizerRole, RegistrationMode
from eventmgr.series.models import Series

SERIES_SLUG = "wiesbaden-process"

DEMO_ACCOUNTS = (
    ("admin@example.org", Role.ADMIN, "demo-admin-password"),
    ("organizer@example.org", Role.ORGANIZER, "demo-organizer-password"),
    ("rapporteur@example.org", Role.RAPPORTEUR, "demo-rapporteur-password"),
    ("participant@example.org", Role.PARTICIPANT, "demo-participant-password"),
)

K = OrganizationKind
S = Sector
# (name, acronym, kind, country, sectors) as in the 2014 enclosure.
ORGANIZATIONS = (
    ("Federal Foreign Office", "", K.GOVERNMENT, "DE", ()),
    ("Federal Ministry for Economic Affairs and Energy", "BMWi", K.GOVERNMENT, "DE", ()),
    ("Federal Office for Economic Affairs and Export Control", "BAFA", K.GOVERNMENT, "DE", ()),
    ("Ministry of Economic Development", "", K.GOVERNMENT, "IT", ()),
    ("Ministry of International Trade and Industry", "MITI", K.GOVERNMENT, "MY", ()),
    ("Department of State", "", K.GOVERNMENT, "US", ()),
    ("Caribbean Community secretariat", "CARICOM", K.REGIONAL, None, ()),
    ("European Commission", "", K.REGIONAL, None, ()),
    ("European External Action Service", "EEAS", K.REGIONAL, None, ()),
    ("Organization for Security and Cooperation in Europe", "OSCE", K.REGIONAL, None, ()),
    ("Organization for the Prohibition of Chemical Weapons", "OPCW", K.INTERNATIONAL, None, ()),
    ("Panel of Experts of the Security Council Committee established pursuant to "
     "resolution 1737 (2006)", "", K.INTERNATIONAL, None, ()),
    ("Office for Disarmament Affairs of the United Nations Secretariat", "UNODA",
     K.INTERNATIONAL, None, ()),
    ("the Committee established pursuant to resolution 1540 (2004), and Group of Experts", "",
     K.INTERNATIONAL, None, ()),
    ("International Criminal Police Organization", "INTERPOL", K.INTERNATIONAL, None, ()),
    ("World Customs Organization", "WCO", K.INTERNATIONAL, None, (S.CUSTOMS_PORTS,)),
    ("African Biological Safety Association", "AfBSA", K.INDUSTRY_ASSOCIATION, None,
     (S.BIOLOGICAL,)),
    ("AREVA", "", K.COMPANY, "FR", (S.NUCLEAR,)),
    ("Asia-Pacific Biosafety Association", "A-PBA", K.INDUSTRY_ASSOCIATION, None,
     (S.BIOLOGICAL,)),
    ("Biosafety Association of Central Asia and the Caucasus", "BACAC", K.INDUSTRY_ASSOCIATION,
     None, (S.BIOLOGICAL,)),
    ("German Aerospace Industries Association", "BDLI", K.INDUSTRY_ASSOCIATION, None,
     (S.AEROSPACE,)),
    ("Center for Information on Security Trade Controls", "CISTEC", K.INDUSTRY_ASSOCIATION,
     "JP", (S.OTHER,)),
    ("Commerzbank AG", "", K.COMPANY, "DE", (S.FINANCE,)),
    ("Compliance Academy GmbH", "", K.COMPANY, "DE", (S.OTHER,)),
    ("Compliance and Capacity International, LLC", "", K.COMPANY, "US", (S.OTHER,)),
    ("Ericsson AB", "", K.COMPANY, "SE", (S.IT_TELECOM,)),
    ("Fédération Internationale des Associations de Transitaires et Assimilés", "FIATA",
     K.INDUSTRY_ASSOCIATION, "CH", (S.TRANSPORT_LOGISTICS,)),
    ("General Electric", "GE", K.COMPANY, "US", (S.AEROSPACE, S.NUCLEAR)),
    ("Indian Chemical Council", "ICC", K.INDUSTRY_ASSOCIATION, "IN", (S.CHEMICAL,)),
    ("Infineon Technologies AG", "", K.COMPANY, "DE", (S.IT_TELECOM,)),
    ("International Federation of Biosafety Associations", "IFBA", K.INDUSTRY_ASSOCIATION, None,
     (S.BIOLOGICAL,)),
    ("Julius Kriegl Consultancy", "", K.COMPANY, "ZA", (S.BROKERING,)),
    ("Lufthansa Cargo AG", "", K.COMPANY, "DE", (S.TRANSPORT_LOGISTICS,)),
    ("Merck KGaA", "", K.COMPANY, "DE", (S.CHEMICAL, S.BIOLOGICAL)),
    ("Rolls Royce", "", K.COMPANY, "GB", (S.AEROSPACE, S.NUCLEAR)),
    ("Philips International", "", K.COMPANY, "NL", (S.OTHER,)),
    ("Verband der Chemischen Industrie", "VCI", K.INDUSTRY_ASSOCIATION, "DE", (S.CHEMICAL,)),
    ("World Nuclear Association Secretariat", "WNA", K.INDUSTRY_ASSOCIATION, "GB", (S.NUCLEAR,)),
    ("Institute for Defence Studies and Analyses", "IDSA", K.THINK_TANK, "IN", ()),
    ("Project Alpha Kings College, London", "", K.ACADEMIA, "GB", ()),
    ("Korea Strategic Trade Institute KOSTI", "KOSTI", K.THINK_TANK, "KR", ()),
    ("Leibniz Institut DSMZ", "DSMZ", K.ACADEMIA, "DE", (S.BIOLOGICAL,)),
    ("Monterey Institute of International Studies", "", K.ACADEMIA, "US", ()),
    ("Pacific Northwest National Laboratory", "PNNL", K.OTHER, "US", (S.NUCLEAR,)),
    ("Nuclear Power Plant Exporters' Principles of Conduct Secretariat", "", K.OTHER, "IT",
     (S.NUCLEAR,)),
    ("Stimson Center", "", K.THINK_TANK, "US", ()),
    ("Stockholm International Peace Research Institute SIPRI", "SIPRI", K.THINK_TANK, "SE", ()),
    ("Center for International Trade and Security University of Georgia", "CITS", K.ACADEMIA,
     "US", ()),
    ("Centre for Interdisciplinary Compliance Research European University Viadrina", "",
     K.ACADEMIA, "DE", ()),
    ("Wisconsin Project on Nuclear Arms Control", "", K.NGO, "US", (S.NUCLEAR,)),
)

# Given names with the honorific that agrees with them (a name borne by women and men alike
# takes an academic title, which says nothing of either).
GIVEN_NAMES = (
    ("Anna", "Ms."), ("Jonas", "Mr."), ("Maria", "Ms."), ("Luca", "Mr."), ("Aiko", "Ms."),
    ("Rahul", "Mr."), ("Chen", "Dr."), ("Fatima", "Ms."), ("Olivier", "Mr."), ("Sofia", "Ms."),
    ("Kwame", "Mr."), ("Elena", "Ms."), ("Tomás", "Mr."), ("Ingrid", "Ms."), ("Yusuf", "Mr."),
    ("Hana", "Ms."), ("Pedro", "Mr."), ("Leila", "Ms."), ("Marek", "Mr."), ("Grace", "Ms."),
    ("Henrik", "Mr."), ("Priya", "Ms."), ("Diego", "Mr."), ("Nadia", "Ms."), ("Kofi", "Mr."),
    ("Astrid", "Ms."), ("Ji-woo", "Dr."), ("Mateo", "Mr."), ("Amara", "Ms."), ("Lars", "Mr."),
)
FAMILY_NAMES = (
    "Keller", "Rossi", "Tanaka", "Sharma", "Wang", "Haddad", "Dubois", "Novak", "Mensah",
    "Petrov", "García", "Lindqvist", "Demir", "Kim", "Santos", "Nasser", "Kowalski", "Okafor",
    "Berg", "Iyer", "Fernández", "Mahmoud", "Schmidt", "Nakamura", "Andersson", "Osei",
    "Moreau", "Yilmaz", "Park", "O'Brien",
)
# Every so often an academic title instead, as in a real list of participants.
ACADEMIC_TITLES = {5: "Dr.", 11: "Prof."}

FRANKFURT_BACKGROUND = (
    "Security Council resolution 1540 (2004) obliges all States to prevent non-State actors "
    "from acquiring nuclear, chemical and biological weapons and their means of delivery. "
    "Industry is where such controls meet daily business, which is why the Security Council, "
    "in resolution 1977 (2011), encouraged the 1540 Committee to draw on the expertise of the "
    "private sector.\n\n"
    "The third conference of the process looks at how companies organise compliance: "
    "governance, internal compliance programmes, information on proliferation risks, and what "
    "industry expects from the authorities."
)

FRANKFURT_GOALS = (
    "Raise awareness and understanding of non-proliferation strategies across sectors",
    "Foster dialogue between industry and regulators, including the 1540 Committee",
    "Offer a global forum to share effective industry practices across sectors",
    "Inform Governments about industry trends in compliance strategies and practices",
    "Help regulators give better guidance and regulation",
)

# (day index, start, end, kind, title, room); day -1 is the evening before, None a time to be confirmed.
FRANKFURT_AGENDA = (
    (-1, "19:00", "21:30", SessionKind.RECEPTION, "Welcome dinner hosted by the Federal Foreign Office",
     "Foyer"),
    (0, None, None, SessionKind.BREAK, "Registration and welcome coffee", "Foyer"),
    (0, "09:00", "10:30", SessionKind.OPENING, "Opening statements", "Plenary hall"),
    (0, "10:30", "11:00", SessionKind.BREAK, "Coffee break", "Foyer"),
    (0, "11:00", "13:00", SessionKind.PANEL,
     "Proliferation risk management through corporate governance and internal compliance "
     "management", "Plenary hall"),
    (0, "13:00", "14:30", SessionKind.BREAK, "Lunch", "Foyer"),
    (0, "14:30", "16:30", SessionKind.PANEL, "Obtaining information on proliferation risks",
     "Plenary hall"),
    (0, "19:00", "21:30", SessionKind.RECEPTION, "Evening reception", "Foyer"),
    (1, "09:00", "11:00", SessionKind.PANEL,
     "Corporate governance, rules and best practice guidelines on compliance management",
     "Plenary hall"),
    (1, "11:00", "11:30", SessionKind.BREAK, "Coffee break", "Foyer"),
    (1, "11:30", "13:00", SessionKind.PANEL,
     "Industry expectations of what authorities need to deliver", "Plenary hall"),
    (1, "13:00", "13:30", SessionKind.CLOSING, "Closing remarks", "Plenary hall"),
)


@dataclass
class DemoResult:
    created: bool
    accounts: tuple = DEMO_ACCOUNTS
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        head = ("Demo process loaded: " + ", ".join(f"{n} {k}" for k, n in self.counts.items())
                if self.created else "Demo process already present; nothing changed.")
        logins = "\n".join(f"  {role.value:<11} {email} / {password}"
                           for email, role, password in self.accounts)
        return f"{head}\nDemo logins:\n{logins}"


def load_demo() -> DemoResult:
    """Create the Wiesbaden process unless it exists. The caller commits."""
    if db.session.scalar(select(Series.id).where(Series.slug == SERIES_SLUG)) is not None:
        return DemoResult(created=False)
    for email, role, password in DEMO_ACCOUNTS:
        if auth_service.get_user_by_email(email) is None:
            auth_service.create_user(email, role=role, password=password)

    organizations = _create_organizations()
    series = series_service.create_series(
        slug=SERIES_SLUG,
        name="Wiesbaden process — industry outreach on resolution 1540 (2004)",
        description=(
            "Conferences hosted by Germany with the United Nations Office for Disarmament "
            "Affairs that bring industry and regulators together on implementing Security "
            "Council resolution 1540 (2004)."
        ),
        mandate_references="Security Council resolutions 1540 (2004) and 1977 (2011)",
    )
    # The demo's organizer and rapporteur work on the Wiesbaden process.
    for email, role, _ in DEMO_ACCOUNTS:
        if role in (Role.ORGANIZER, Role.RAPPORTEUR):
            auth_service.grant_series_role(auth_service.get_user_by_email(email), series.id, role)
    hosts = [(organizations["Federal Foreign Office"].id, OrganizerRole.HOST),
             (organizations["Office for Disarmament Affairs of the United Nations Secretariat"].id,
              OrganizerRole.CO_ORGANIZER)]

    wiesbaden = series_service.create_event(
        series, slug="wiesbaden-2012", title="Conference of industry associations on "
        "resolution 1540 (2004)", theme="Partnership between Governments and industry",
        background="The first conference of its kind: industry associations, companies, the "
        "1540 Committee and international organizations discussed how to work together.",
        start_date=dt.date(2012, 4, 23), end_date=dt.date(2012, 4, 25),
        timezone="Europe/Berlin", venue_name="", venue_city="Wiesbaden", venue_country="DE",
        registration_mode=RegistrationMode.INVITATION_ONLY, capacity=90,
    )
    biosecurity = series_service.create_event(
        series, slug="wiesbaden-2013", title="Industry outreach conference on biosecurity",
        theme="Implementing resolution 1540 (2004) in the area of biosecurity",
        background="The second conference of the process focused on biosecurity.",
        start_date=dt.date(2013, 6, 26), end_date=dt.date(2013, 6, 27),
        timezone="Europe/Berlin", venue_name="", venue_city="Wiesbaden", venue_country="DE",
        registration_mode=RegistrationMode.INVITATION_ONLY, capacity=80,
    )
    frankfurt = series_service.create_event(
        series, slug="frankfurt-2014",
        title="Industry outreach conference on resolution 1540 (2004)",
        theme="Governance and compliance management",
        background=FRANKFURT_BACKGROUND,
        start_date=dt.date(2014, 11, 20), end_date=dt.date(2014, 11, 21),
        timezone="Europe/Berlin", venue_name="Conference centre", venue_city="Frankfurt am Main",
        venue_country="DE", registration_mode=RegistrationMode.INVITATION_ONLY, capacity=80,
    )
    european_commission = organizations["European Commission"].id
    for event in (wiesbaden, biosecurity, frankfurt):
        extra = [(european_commission, OrganizerRole.PARTNER)] if event is frankfurt else []
        series_service.set_event_organizers(event, hosts + extra)
        for status in (EventStatus.PUBLISHED, EventStatus.REGISTRATION_OPEN,
                       EventStatus.REGISTRATION_CLOSED, EventStatus.HELD):
            series_service.change_event_status(event, status)
    series_service.set_event_goals(frankfurt, FRANKFURT_GOALS)

    people = _create_people(organizations)
    _register(frankfurt, people, checked_in=True)
    # The demo participant sees the 2014 participant area as the first registered person.
    auth_service.get_user_by_email("participant@example.org").person_id = people[0].id
    # Returning organizations: some of the same people came in 2012.
    _register(wiesbaden, people[::3])
    db.session.add(ParticipantListSetting(event_id=frankfurt.id,
                                          visibility=ListVisibility.ORGANIZATIONS))
    sessions = _create_frankfurt_agenda(frankfurt, people)
    db.session.flush()
    # The demo rapporteur is the person writing up the first panels: their home lists those sessions.
    auth_service.get_user_by_email("rapporteur@example.org").person_id = db.session.scalar(
        select(SessionRole.person_id).join(AgendaSession).where(
            AgendaSession.event_id == frankfurt.id, SessionRole.role == SessionRoleKind.RAPPORTEUR)
        .order_by(AgendaSession.starts_at).limit(1))
    load_frankfurt_records(frankfurt)
    load_frankfurt_invitations(frankfurt, people, list(organizations.values()))
    load_wiesbaden_records(wiesbaden, frankfurt)
    load_wiesbaden_report(wiesbaden)
    load_frankfurt_letterhead(frankfurt)
    return DemoResult(created=True, counts={
        "events": 3, "organizations": len(organizations), "people": len(people),
        "sessions": sessions,
    })


# Other names documents give some of them (imports and registrations match these too).
DEMO_ALIASES = {
    "Department of State": ("United States Department of State", "US State Department"),
    "Office for Disarmament Affairs of the United Nations Secretariat": (
        "United Nations Office for Disarmament Affairs",),
    "the Committee established pursuant to resolution 1540 (2004), and Group of Experts": (
        "1540 Committee", "Security Council Committee established pursuant to resolution 1540 (2004)"),
    "Organization for the Prohibition of Chemical Weapons": (
        "Organisation for the Prohibition of Chemical Weapons",),
}
# Company sizes where the demo knows them: both seed reports single out SMEs.
DEMO_SIZES = {
    **dict.fromkeys(("Compliance Academy GmbH", "Compliance and Capacity International, LLC",
                     "Julius Kriegl Consultancy"), OrganizationSize.SME),
    **dict.fromkeys(("AREVA", "Commerzbank AG", "Ericsson AB", "General Electric", "Infineon Technologies AG",
                     "Lufthansa Cargo AG", "Merck KGaA", "Rolls Royce", "Philips International"),
                    OrganizationSize.LARGE),
}


def _create_organizations() -> dict[str, Organization]:
    organizations = {}
    for name, acronym, kind, country, sectors in ORGANIZATIONS:
        organization = Organization(
            name=name, name_key=name_key(name), acronym=acronym, kind=kind, country=country,
            state=country if kind is OrganizationKind.GOVERNMENT else None, size=DEMO_SIZES.get(name),
            sector_links=[OrganizationSector(sector=sector) for sector in sectors],
            aliases=[OrganizationAlias(name=alias, match_key=organization_key(alias))
                     for alias in DEMO_ALIASES.get(name, ())],
        )
        db.session.add(organization)
        organizations[name] = organization
    db.session.flush()
    return organizations


def _create_people(organizations: dict[str, Organization]) -> list[Person]:
    """About 70 fictitious people; most from industry, as in the 2014 report."""
    # Industry organizations send two delegates, everyone else one.
    seats = [(org, 2 if org.kind in (K.COMPANY, K.INDUSTRY_ASSOCIATION) else 1)
             for org in organizations.values()]
    people = []
    for index, (organization, count) in enumerate(
            (org, n) for org, total in seats for n in range(total)):
        given, honorific = GIVEN_NAMES[index % len(GIVEN_NAMES)]
        honorific = next((title for every, title in sorted(ACADEMIC_TITLES.items(), reverse=True)
                          if index % every == every - 1), honorific)
        family = FAMILY_NAMES[(index * 7) % len(FAMILY_NAMES)]
        email = f"{given}.{family}.{index}@example.org".lower().replace("'", "")
        person = Person(
            honorific=honorific, given_name=given, family_name=family,
            email=email, email_key=normalize_email(email),
            position=("Head of export control" if count == 0 else "Compliance officer"),
            organization=organization, country=organization.country or organization.state,
            consent_to_list=index % 4 != 0,
        )
        db.session.add(person)
        people.append(person)
    db.session.flush()
    return people


# Participants from these countries asked for a letter supporting their visa application.
VISA_COUNTRIES = frozenset({"IN", "MY", "ZA", "KR"})


def _register(event, people: list[Person], *, checked_in: bool = False) -> None:
    """Registered by the demo organizer through the registration service, dated before the event;
    with `checked_in`, all but every tenth were checked in at the door."""
    organizer = auth_service.get_user_by_email("organizer@example.org")
    registered_at = dt.datetime.combine(event.start_date - dt.timedelta(days=30), dt.time(9),
                                        dt.UTC)
    for index, person in enumerate(people):
        # Past events: nobody is written to.
        registration = register_participant(event, person=person, consent_to_list=person.consent_to_list,
                                            visa_letter=person.country in VISA_COUNTRIES,
                                            actor=organizer, notify=False)
        registration.registered_at = registration.status_changed_at = (
            registered_at + dt.timedelta(minutes=index))
        if checked_in and index % 10:
            check_in(registration, actor=organizer)
            registration.checked_in_at = dt.datetime.combine(event.start_date, dt.time(8, 30), dt.UTC) \
                + dt.timedelta(seconds=20 * index)
    db.session.flush()


def _create_frankfurt_agenda(event, people: list[Person]) -> int:
    """Rooms, sessions and speakers made and published through the agenda service, with what
    programmes say: a side event the evening before, an item with no time yet, functions,
    a State and an organization on the opening panel."""
    organizer = auth_service.get_user_by_email("organizer@example.org")
    rooms = {name: agenda_service.add_room(event, name, organizer) for name in ("Plenary hall", "Foyer")}
    speakers = iter(people)
    for day, start, end, kind, title, room in FRANKFURT_AGENDA:
        date = event.days[day] if day >= 0 else event.start_date + dt.timedelta(days=day)

        def at(hhmm: str | None, date=date) -> dt.datetime | None:
            if hhmm is None:
                return None
            return agenda_service.local_to_utc(event, dt.datetime.combine(date, dt.time.fromisoformat(hhmm)))

        agenda_session = agenda_service.create_session(
            event, organizer, kind=kind, title=title, day=date, starts_at=at(start), ends_at=at(end),
            room_id=rooms[room].id, parent_id=None,
        )
        if kind in (SessionKind.OPENING, SessionKind.PANEL):
            roles = [SessionRoleKind.CHAIR, SessionRoleKind.SPEAKER, SessionRoleKind.SPEAKER,
                     SessionRoleKind.SPEAKER, SessionRoleKind.RAPPORTEUR]
            for role in roles:
                agenda_service.add_person(agenda_session, next(speakers), role, organizer)
        if kind is SessionKind.OPENING:
            unoda = db.session.scalar(select(Organization).where(Organization.acronym == "UNODA"))
            agenda_roles.add_holder(agenda_session, SessionRoleKind.SPEAKER, organizer, state="KR",
                                    function="Chair of the Security Council Committee established pursuant "
                                             "to resolution 1540 (2004)")
            agenda_roles.add_holder(agenda_session, SessionRoleKind.SPEAKER, organizer, organization=unoda,
                                    function="a representative of UNODA")
    agenda_service.publish_agenda(event, organizer)
    return len(FRANKFURT_AGENDA)
