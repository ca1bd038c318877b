"""The search key: what a name is searched by."""

import pytest

from eventmgr.normalize import search_key


@pytest.mark.parametrize(("typed", "stored"), [
    ("muller", "Müller"),
    ("fernandez", "Fernández"),
    ("nunez", "Núñez"),
    ("oconnor", "O'Connor"),
    ("oconnor", "O’Connor"),
    ("jean pierre", "Jean-Pierre"),
    ("zolc", "Żółć"),
    ("strasse", "Straße"),
    ("dmitriy", "Дмитрий"),
])
def test_typed_form_is_found_in_the_stored_name(typed, stored):
    assert search_key(typed) in search_key(stored)


def test_whitespace_collapses_and_case_folds():
    assert search_key("  ÉCOLE   Polytechnique ") == "ecole polytechnique"
