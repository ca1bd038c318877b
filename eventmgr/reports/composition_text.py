"""The composition paragraph of a report, in honest rounded words, from the registry's counts.

"Approximately 70" only when the count is within a quarter step of 70; otherwise
"more than 60" (always true). A category is called "the majority" only when it holds
more than half of the participants. The closing sentence counts what the registry knows
exactly: States, international organizations, companies and associations, others.
Examples are the organizations (for government authorities, the States) that sent the
most people. Before the event the paragraph speaks of registered participants.
"""

from __future__ import annotations

from eventmgr.registry.composition import Composition
from eventmgr.registry.enums import ListCategory
from eventmgr.reports.wording import SMALL_NUMBERS, Tense, figure, join, verb, with_article

# How each category reads inside a sentence.
CATEGORY_PHRASES: dict[ListCategory, str] = {
    ListCategory.STATES: "government authorities",
    ListCategory.ORGANIZATIONS: "international and regional organizations",
    ListCategory.INDUSTRY: "companies and industry associations",
    ListCategory.OTHERS: "academia, think tanks and other entities",
}
# How many of each category's organizations took part: (singular, plural).
COUNT_NOUNS: dict[ListCategory, tuple[str, str]] = {
    ListCategory.STATES: ("State", "States"),
    ListCategory.ORGANIZATIONS: ("international or regional organization",
                                 "international and regional organizations"),
    ListCategory.INDUSTRY: ("company or industry association", "companies and industry associations"),
    ListCategory.OTHERS: ("academic institution, think tank or other entity",
                          "academic institutions, think tanks and other entities"),
}


def _step(count: int) -> int:
    if count < 200:
        return 10
    return 50 if count < 1000 else 100


def rounded_count(count: int) -> str:
    """A count in the words a report uses: exact up to twelve, then rounded without overstating."""
    if count < len(SMALL_NUMBERS):
        return SMALL_NUMBERS[count]
    step = _step(count)
    nearest = round(count / step) * step
    if nearest == count:
        return figure(count)
    if abs(count - nearest) * 4 <= step:
        return f"approximately {figure(nearest)}"
    return f"more than {figure(count // step * step)}"


def counted_noun(count: int, forms: tuple[str, str]) -> str:
    return f"{figure(count)} {forms[0] if count == 1 else forms[1]}"


def examples(category: ListCategory, composition: Composition) -> list[str]:
    """The names a sentence gives as examples: States as they are, organizations with "the"."""
    named = composition.examples.get(category, [])
    if category is ListCategory.STATES and composition.states:
        return named
    return [with_article(name) for name in named]


def _with_examples(category: ListCategory, composition: Composition) -> str:
    phrase = CATEGORY_PHRASES[category]
    named = examples(category, composition)
    if category is ListCategory.STATES and composition.states:
        return f"{phrase} of {join(named)}" if len(composition.states) <= len(named) \
            else f"{phrase} (of States such as {join(named)})"
    return f"{phrase} (such as {join(named)})" if named else phrase


def majority_category(composition: Composition) -> ListCategory | None:
    """The category of more than half of the participants, if there is one."""
    for category, count in composition.by_category.items():
        if count * 2 > composition.participants:
            return category
    return None


def organization_counts(composition: Composition) -> list[str]:
    """ "eight States", "three international and regional organizations", …, in enclosure order."""
    counts = dict(composition.organizations_by_category)
    if composition.states:
        counts[ListCategory.STATES] = len(composition.states)
    return [counted_noun(counts[category], COUNT_NOUNS[category])
            for category in ListCategory if counts.get(category)]


def composition_paragraph(composition: Composition, tense: Tense = Tense.PAST) -> str:
    total = composition.participants
    future = tense is Tense.FUTURE
    if total == 0:
        return ""
    people = ("registered participant" if future else "participant") + ("" if total == 1 else "s")
    words = rounded_count(total)
    majority = majority_category(composition)
    others = [category for category in composition.by_category if category is not majority]
    represented = "represent" if future else "represented"
    if total == 1:
        only = next(iter(composition.by_category), None)
        sentences = [f"The conference {verb(tense, 'had', 'has', 'has')} a single {people}"
                     + (f", representing {_with_examples(only, composition)}." if only else ".")]
    elif majority is not None:
        sentences = [f"The majority of the {words} {people} {represented} "
                     f"{_with_examples(majority, composition)}."]
        if others:
            others_subject = "Other registered participants include" if future else \
                "Other participants included"
            sentences.append(f"{others_subject} representatives "
                             f"of {join([_with_examples(c, composition) for c in others])}.")
    else:
        brought = verb(tense, "brought together", "brings together", "will bring together")
        sentences = [f"The conference {brought} {words} {people}."]
        if others:
            no_majority = ", no single group forming a majority" if len(others) > 1 else ""
            come = "come" if future else "came"
            sentences.append(f"They {come} from "
                             f"{join([_with_examples(c, composition) for c in others])}{no_majority}.")
    counts = organization_counts(composition) if total > 1 else []
    if counts:
        took_part = verb(tense, "took part", "are taking part", "are registered")
        sentences.append(f"In all, {join(counts)} {took_part} (see enclosure).")
    if composition.without_organization:
        unaffiliated = composition.without_organization
        attended = verb(tense, "attended", "attend", "will attend")
        sentences.append(f"{figure(unaffiliated).capitalize()} "
                         f"{'participant' if unaffiliated == 1 else 'participants'} "
                         f"{attended} in a personal capacity.")
    return " ".join(sentences)
