"""Demo rapporteur records for the Frankfurt 2014 conference, and its drafted report.

The statements paraphrase the published 2014 conference report in our own words.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from eventmgr.agenda.enums import SessionKind
from eventmgr.agenda.models import AgendaSession
from eventmgr.auth import service as auth_service
from eventmgr.extensions import db
from eventmgr.reports import queries, service
from eventmgr.reports.enums import FollowUpStatus, SectionKind
from eventmgr.series.models import Event

# Session title → (notes, [(finding, is key)], [(addressee, recommendation)])
FRANKFURT_RECORDS: dict[str, tuple[str, list[tuple[str, bool]], list[tuple[str, str]]]] = {
    "Opening statements": (
        "Speakers for the host Government, the Chair of the 1540 Committee, the Office for "
        "Disarmament Affairs, the European Commission and export control authorities opened the "
        "conference. They linked the current security situation to resolution 1540 (2004) and "
        "credited the Wiesbaden process with raising awareness of non-proliferation worldwide.\n\n"
        "The Chair asked for a **continuous dialogue** between industry and Governments and saw "
        "the conferences as an input to the comprehensive review of 2016.",
        [],
        [("the 1540 Committee", "Draw on the results of the Wiesbaden conferences in the 2016 "
          "comprehensive review of the implementation of resolution 1540 (2004).")],
    ),
    "Proliferation risk management through corporate governance and internal compliance management": (
        "Speakers from the nuclear, chemical and biological, aerospace, IT and transport sectors "
        "described the regulations they work under, often in several jurisdictions at once, and "
        "how their compliance programmes respond.\n\n"
        "Practices that work, according to the panel:\n\n"
        "- visible commitment of top management, set down in a code of conduct;\n"
        "- internal programmes that adapt global standards to local rules;\n"
        "- clear roles and guidelines, and motivated compliance staff;\n"
        "- codes of conduct that bind suppliers and customers through contracts.\n\n"
        "Carriers and freight forwarders find the daily screening of shipments the hardest part; "
        "too much transparency about screening could, however, teach proliferators how to evade it.",
        [("Larger companies operating globally know the compliance risks that resolution 1540 "
          "(2004) addresses.", True),
         ("Damage to reputation is a main reason to invest in compliance; penalties imposed by "
          "Governments add a deterrent.", True),
         ("Transport and freight forwarding must spot critical shipments without creating new "
          "security risks or slowing legitimate trade.", True),
         ("The clearer the regulation, the better industry implements it.", False)],
        [("States", "Consider whether and how good compliance efforts by companies could be rewarded.")],
    ),
    "Obtaining information on proliferation risks": (
        "Participants stressed that getting and managing sensitive data is central to assessing "
        "the proliferation risk of a business opportunity. Sharing information helps everyone, "
        "and most of all small and medium-sized enterprises with fewer resources.\n\n"
        "An experienced export control officer cannot be replaced by automated list screening, "
        "whose data quality is rarely checked.",
        [("Companies broadly agree that sharing non-proliferation information serves every "
          "private sector actor, competition notwithstanding.", True),
         ("Company reports of suspicious enquiries would help government authorities.", False)],
        [("industry associations", "Connect existing compliance networks into a global industry "
          "compliance network.")],
    ),
    "Corporate governance, rules and best practice guidelines on compliance management": (
        "Industry initiatives and public–private partnerships, such as the principles of conduct "
        "of nuclear plant exporters, show what voluntary measures can achieve and what to watch "
        "for, anti-trust rules among them.\n\n"
        "Industry associations play a key role in helping their members comply. A standard for "
        "compliance management systems is being prepared by ISO; proliferation risks belong in it.",
        [("Organizational culture drives non-proliferation efforts; it needs strengthening within "
          "companies and across sectors.", True),
         ("Compliance programmes must fit the size of the business; small and medium-sized "
          "enterprises need more support.", False)],
        [("Governments", "Give more resources to outreach to the private sector.")],
    ),
    "Industry expectations of what authorities need to deliver": (
        "Participants asked for practical, clear and enforceable rules rather than political "
        "language, and for consistent approaches across jurisdictions — common control lists, "
        "comparable end-user controls — so that competition is fair.\n\n"
        "Industry would like to be consulted early when international rules are drafted.",
        [("Industry needs clearer, harmonized legislation, especially on control lists.", False),
         ("Cooperation between industry and regulators should be strengthened further.", False)],
        [("the 1540 Committee", "Support an international forum where industry meets national "
          "regulators."),
         ("States", "Involve the private sector early when drafting international regulations.")],
    ),
}


# Recommendations of the 2012 conference and where the process took them up.
WIESBADEN_RECOMMENDATIONS = (
    ("industry associations", "Hold the next events by sector or by region, and compare notes across "
     "sectors later in a broad conference.", FollowUpStatus.DONE, "report"),
    ("the 1540 Committee", "Keep a two-way channel open with industry, for instance through "
     "contributions to association newsletters.", FollowUpStatus.DONE,
     "Industry expectations of what authorities need to deliver"),
    ("industry associations", "Name points of contact for resolution 1540 (2004) within each "
     "association.", FollowUpStatus.IN_PROGRESS, None),
)


def load_wiesbaden_records(wiesbaden: Event, frankfurt: Event) -> None:
    """One 2012 session whose recommendations were followed up in 2014 (for the process view)."""
    rapporteur = auth_service.get_user_by_email("rapporteur@example.org")
    starts_at = dt.datetime(2012, 4, 25, 9, 0, tzinfo=ZoneInfo(wiesbaden.timezone))
    session = AgendaSession(event=wiesbaden, kind=SessionKind.PLENARY, is_published=True,
                            title="The way ahead: follow-up to the conference", starts_at=starts_at,
                            ends_at=starts_at + dt.timedelta(hours=2))
    db.session.add(session)
    db.session.flush()
    later_sessions = {s.title: s for s in db.session.scalars(
        select(AgendaSession).where(AgendaSession.event_id == frankfurt.id))}
    frankfurt_report = queries.report_of(frankfurt)
    for addressee, text, status, where in WIESBADEN_RECOMMENDATIONS:
        recommendation = service.add_recommendation(session, rapporteur, text, addressee)
        service.set_follow_up(
            recommendation, status=status,
            session_id=later_sessions[where].id if where in later_sessions else None,
            report_id=frankfurt_report.id if where == "report" else None)


# The 2012 summary report, in the numbered-paragraph layout of the original: a summary, the
# details, a conclusion; paragraphs numbered through all three (our own words).
WIESBADEN_SUMMARY = (
    "The Government of Germany and the United Nations Office for Disarmament Affairs held a "
    "conference on industry outreach to promote the implementation of Security Council "
    "resolution 1540 (2004). Representatives of international, regional and sub-regional "
    "industry associations, of international organizations and of companies took part, as did "
    "members and experts of the 1540 Committee.\n\n"
    "The conference was the first of its kind. It covered the whole range of issues of "
    "resolution 1540 (2004) that concern industry and stressed that communication has to run "
    "both ways: industry needs support and information from States and the Committee, and "
    "holds knowledge that Governments and the Committee can use.\n\n"
    "Participants asked for follow-up. Further meetings could take a sector-specific or regional "
    "approach, with a broad conference later to compare notes across sectors and regions."
)
WIESBADEN_DETAIL = (
    "In operative paragraph 8 (d) of resolution 1540 (2004), the Security Council called upon "
    "all States to develop appropriate ways to work with and inform industry and the public. "
    "Resolution 1977 (2011) encourages the Committee to draw on the expertise of the private "
    "sector.\n\n"
    "Never before had the Committee met industry representatives so directly, and never had a "
    "conference on resolution 1540 (2004) brought together so diverse an audience: industry "
    "associations, company executives, diplomats, export control officials and researchers.\n\n"
    "Comparing sectors showed that each industry has its own roles, opportunities and limits, "
    "which call for approaches tailored to them. Large companies have export control "
    "departments of their own; small and medium-sized enterprises rely far more on their "
    "associations and on outside support.\n\n"
    "In two break-out sessions, participants shared practices and named possible next steps:\n\n"
    "- define the role of industry associations in collecting and spreading effective practices;\n"
    "- share experience with internal compliance programmes;\n"
    "- make better use of existing initiatives and networks;\n"
    "- strengthen the outreach of the Committee to industry.\n\n"
    "Germany offered to contribute to a follow-up process and to co-host further conferences and "
    "focused workshops."
)
WIESBADEN_CONCLUSION = (
    "In conclusion, participants described the conference as:\n\n"
    "- innovative, for bringing together actors who had not met in this way before;\n"
    "- useful, for meeting the call of the Security Council to reach out to industry;\n"
    "- forward-looking, for launching the Wiesbaden process."
)


def load_wiesbaden_report(event: Event) -> None:
    """The 2012 summary report with numbered paragraphs, drafted after the conference."""
    rapporteur = auth_service.get_user_by_email("rapporteur@example.org")
    report = service.draft_report(event, rapporteur, today=dt.date(2012, 5, 31)).report
    service.update_settings(report, rapporteur, title="Summary report", subtitle=report.subtitle,
                            numbered=True)
    for section in list(report.sections):
        if section.kind is SectionKind.CONCLUSION:
            service.update_section(section, rapporteur, title="Conclusion", body=WIESBADEN_CONCLUSION)
        elif section.kind is not SectionKind.ENCLOSURE:
            service.delete_section(section, rapporteur)
    service.add_free_section(report, rapporteur, title="Summary", body=WIESBADEN_SUMMARY)
    service.add_free_section(report, rapporteur, title="In detail", body=WIESBADEN_DETAIL)


def load_frankfurt_records(event: Event) -> None:
    """Notes, findings and recommendations by the demo rapporteur, then the drafted report."""
    rapporteur = auth_service.get_user_by_email("rapporteur@example.org")
    sessions = {s.title: s for s in db.session.scalars(
        select(AgendaSession).where(AgendaSession.event_id == event.id))}
    for title, (notes, findings, recommendations) in FRANKFURT_RECORDS.items():
        session = sessions[title]
        service.add_note(session, rapporteur, notes)
        for text, is_key in findings:
            service.add_finding(session, rapporteur, text, is_key=is_key)
        for addressee, text in recommendations:
            service.add_recommendation(session, rapporteur, text, addressee)
    # Drafted after the conference, as the 2014 report was (a month later).
    letter_date = dt.date(2014, 12, 23)
    result = service.draft_report(event, rapporteur, today=letter_date)
    result.report.letter_date = letter_date
    service.draft_letter(result.report, rapporteur,
                         sender_function="the Chargé d'affaires a.i.",
                         sender="the Permanent Mission of Germany to the United Nations",
                         addressee="the President of the Security Council", organ="Security Council",
                         signature="Jonas Weber\nAmbassador\nChargé d'affaires a.i.")
