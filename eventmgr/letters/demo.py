"""The demo letterhead of the Frankfurt 2014 conference (the signatory is fictitious)."""

from eventmgr.letters import service
from eventmgr.series.models import Event


def load_frankfurt_letterhead(event: Event) -> None:
    service.save_letterhead(
        event, issuer="Federal Foreign Office", address="Werderscher Markt 1\n10117 Berlin\nGermany",
        contact="Conference secretariat: conference-1540@example.org", place="Berlin",
        signatory_name="Dr. Anna Berger", signatory_function="Head of the Non-proliferation Division",
        visa_addressee="To the Embassy or Consulate of the Federal Republic of Germany concerned")
