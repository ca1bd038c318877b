"""The demo process reads like a real one: honorifics agree with the given names."""

from collections import defaultdict

from sqlalchemy import select

from eventmgr.demo import load_demo
from eventmgr.extensions import db
from eventmgr.registry.models import Person


def test_honorifics_agree_with_the_given_names(app_ctx):
    load_demo()
    db.session.commit()

    by_name = defaultdict(set)
    for given, honorific in db.session.execute(select(Person.given_name, Person.honorific)):
        if honorific in ("Mr.", "Ms."):
            by_name[given].add(honorific)

    assert by_name and all(len(honorifics) == 1 for honorifics in by_name.values()), by_name
    assert by_name["Tomás"] == {"Mr."} and by_name["Fatima"] == {"Ms."}
    assert by_name["Anna"] == {"Ms."} and by_name["Jonas"] == {"Mr."}
