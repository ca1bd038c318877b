"""Normalisation of the keys that decide whether two things are the same."""

import unicodedata

import idna
from anyascii import anyascii

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def normalize_email(email: str) -> str:
    """The one form in which addresses are compared (and accounts stored): NFC, trimmed, the
    domain IDNA-encoded (UTS 46, non-transitional: lower-case ASCII, as DNS resolves it), the
    local part with A–Z lower-cased and nothing else.

    Never casefold or NFKC: they make other deliverable mailboxes into one, e.g. "glaß" into
    "glass", "ſ" or full-width "ｂｏｓｓ" into "boss", and an account could be borrowed that way.
    """
    text = unicodedata.normalize("NFC", email).strip()
    local, at, domain = text.rpartition("@")
    if not at:
        return text.translate(_ASCII_LOWER)
    try:
        domain = idna.encode(domain, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        domain = domain.translate(_ASCII_LOWER)  # not a valid domain: compared as typed, ASCII-folded
    return f"{local.translate(_ASCII_LOWER)}@{domain}"


def name_key(name: str) -> str:
    """Case-folded, whitespace-collapsed name, for matching organizations by name."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


_APOSTROPHES = str.maketrans("", "", "'’‘`ʼ´")


def search_key(text: str) -> str:
    """The form names are searched in: transliterated to ASCII (anyascii), case-folded,
    apostrophes dropped and other punctuation as spaces, so "muller" finds "Müller",
    "oconnor" finds "O'Connor" and "fernandez" finds "Fernández". For searching only:
    never use it to decide that two records are the same."""
    ascii_text = anyascii(unicodedata.normalize("NFKC", text)).casefold().translate(_APOSTROPHES)
    return " ".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


# Legal forms, ignored when matching organizations ("Orano S.A." is "Orano"), written as
# organization_key leaves them: dots dropped, lower case, words apart.
LEGAL_SUFFIXES = frozenset({
    "ab", "ag", "as", "a s", "asa", "bv", "bhd", "co", "co kg", "co ltd", "corp", "corporation",
    "cv", "ev", "eg", "gbr", "gmbh", "gmbh co kg", "inc", "incorporated", "kft", "kg", "kgaa",
    "kk", "limited", "llc", "llp", "lp", "ltd", "ltda", "mbh", "nv", "oy", "oyj", "plc", "pte ltd",
    "pty ltd", "pvt ltd", "sa", "sa de cv", "sae", "sarl", "sas", "se", "sl", "spa", "sp z o o",
    "srl", "sro", "sdn bhd", "ug", "vzw", "asbl", "ohg", "zrt",
})
_LONGEST_SUFFIX = max(len(s.split()) for s in LEGAL_SUFFIXES)
# British and American spellings of the words organizations' names share.
_SPELLINGS = {"centre": "center", "organisation": "organization", "programme": "program",
              "defence": "defense", "licence": "license", "labour": "labor", "&": "and", "und": "and",
              "et": "and", "y": "and"}
_MATCH_DROPPED = str.maketrans("", "", ".'’‘`ʼ´")


def organization_key(name: str) -> str:
    """The form organizations' names are matched in: ASCII, case-folded, dots and apostrophes
    dropped, other punctuation as spaces, a leading "the" dropped, British spellings made
    American, and legal forms at the end (GmbH, S.A., e.V., LLC, Ltd …) left out.

    "The Stimson Centre" and "Stimson Center", "Orano, S.A." and "Orano" share a key.
    For matching only: names are stored and printed as given.
    """
    text = anyascii(unicodedata.normalize("NFKC", name)).casefold().translate(_MATCH_DROPPED)
    text = text.replace("&", " & ")
    words = ["and" if w == "&" else w for w in "".join(c if c.isalnum() or c == "&" else " "
                                                      for c in text).split()]
    words = [_SPELLINGS.get(w, w) for w in words]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    stripped = True
    while stripped and len(words) > 1:
        stripped = False
        for size in range(min(_LONGEST_SUFFIX, len(words) - 1), 0, -1):
            if " ".join(words[-size:]) in LEGAL_SUFFIXES:
                words = words[:-size]
                stripped = True
                break
        if words and words[-1] == "and" and len(words) > 1:  # "Merck & Co." → "merck"
            words = words[:-1]
    return " ".join(words)


def acronym_key(text: str) -> str:
    """An acronym as compared: letters and digits only, case-folded ("U.N.O.D.A." is "unoda")."""
    return "".join(c for c in anyascii(text or "").casefold() if c.isalnum())
