"""The composition paragraph of a report, in honest rounded words, from the registry's counts.

"Approximately 70" only when the count is within a quarter step of 70; otherwise
"more than 60" (always true). A category is called "the majority" only when it holds
more than half of the participants.
"""

from __future__ import annotations

from eventmgr.registry.composition import Composition
from eventmgr.registry.enclosure import full_stop
from eventmgr.registry.enums import ListCategory

SMALL_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve")

# How each category reads inside a sentence.
CATEGORY_PHRASES: dict[ListCategory, str] = {
    ListCategory.STATES: "government authorities",
    ListCategory.ORGANIZATIONS: "international and regional organizations",
    ListCategory.INDUSTRY: "companies and industry associations",
    ListCategory.OTHERS: "academia, think tanks and other entities",
}


def _step(count: int) -> int:
    if count < 200:
        return 10
    return 50 if count < 1000 else 100


def _figure(count: int) -> str:
    return SMALL_NUMBERS[count] if count < len(SMALL_NUMBERS) else f"{count:,}"


def rounded_count(count: int) -> str:
    """A count in the words a report uses: exact up to twelve, then rounded without overstating."""
    if count < len(SMALL_NUMBERS):
        return SMALL_NUMBERS[count]
    step = _step(count)
    nearest = round(count / step) * step
    if nearest == count:
        return _figure(count)
    if abs(count - nearest) * 4 <= step:
        return f"approximately {_figure(nearest)}"
    return f"more than {_figure(count // step * step)}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _phrase(category: ListCategory, composition: Composition) -> str:
    """How a category reads; the States paragraph by its number of States where known."""
    if category is ListCategory.STATES and composition.states:
        count = len(composition.states)
        return f"{rounded_count(count)} {'State' if count == 1 else 'States'}"
    return CATEGORY_PHRASES[category]


def _with_examples(category: ListCategory, composition: Composition) -> str:
    phrase = _phrase(category, composition)
    examples = composition.examples.get(category)
    if not examples:
        return phrase
    if category is ListCategory.STATES and len(examples) == len(composition.states):
        return f"{phrase} ({_join(examples)})"  # every State is named: no "such as"
    return f"{phrase} (such as {_join(examples)})"


def majority_category(composition: Composition) -> ListCategory | None:
    """The category of more than half of the participants, if there is one."""
    for category, count in composition.by_category.items():
        if count * 2 > composition.participants:
            return category
    return None


def composition_paragraph(composition: Composition) -> str:
    total = composition.participants
    if total == 0:
        return "No participants are recorded for the conference yet."
    people = "participant" if total == 1 else "participants"
    words = rounded_count(total)
    majority = majority_category(composition)
    others = [category for category in composition.by_category if category is not majority]
    if total == 1:
        only = next(iter(composition.by_category), None)
        return full_stop("The conference had a single participant"
                         + (f", representing {_with_examples(only, composition)}" if only else ""))
    if majority is not None:
        sentences = [full_stop(f"The majority of the {words} {people} represented "
                               f"{_with_examples(majority, composition)}")]
        if others:
            sentences.append(full_stop("Other participants included representatives of "
                                       f"{_join([_with_examples(c, composition) for c in others])}"))
    else:
        sentences = [f"The conference brought together {words} {people}."]
        if others:
            no_majority = ", no single group forming a majority" if len(others) > 1 else ""
            sentences.append(full_stop(
                f"They came from {_join([_with_examples(c, composition) for c in others])}{no_majority}"))
    if composition.without_organization:
        unaffiliated = composition.without_organization
        sentences.append(f"{_figure(unaffiliated).capitalize()} "
                         f"{'participant' if unaffiliated == 1 else 'participants'} "
                         "attended in a personal capacity.")
    return " ".join(sentences)
