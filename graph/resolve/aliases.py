"""Surface forms -> canonical names: titles, possessives, acronyms, short forms, group folding.

Pure string functions (no spaCy): the resolver calls them on mention texts and on the
document text around a mention (a title just before a name becomes the person's role).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from graph.rules import Rules, default_rules

_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\s*['’]s?$")
# English function words ([quantifiers] of graph/rules/words.toml, a fixed table)
_QUANTIFIERS = default_rules().words("quantifiers", "name_words")
_NUMBER_WORDS = default_rules().words("quantifiers", "figure_numbers")
_SPELLING = {
    "centre": "center", "centres": "centers", "organised": "organized", "organisation": "organization",
    "organisations": "organizations", "labour": "labor", "labourers": "laborers", "labourer": "laborer",
    "defence": "defense", "programme": "program", "neighbouring": "neighboring", "neighbour": "neighbor",
    "offence": "offense", "enrol": "enroll", "practise": "practice", "criminalised": "criminalized",
}
_IRREGULAR = {
    "people": "person", "children": "child", "men": "man", "women": "woman", "police": "police",
    "staff": "staff", "personnel": "personnel", "authorities": "authority", "yourself": "yourself",
    "series": "series", "species": "species", "news": "news", "boss": "boss", "bosses": "boss",
}
PLURAL_HEADS = {"people", "police", "children", "men", "women", "staff", "personnel", "authorities", "youth"}
STOP_WORDS = {"of", "on", "and", "for", "the", "to", "in", "at", "against", "de", "du", "la", "des", "&"}


def nfkc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def ascii_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def clean_name(text: str) -> str:
    """Surface text tidied: whitespace, quotes, a leading article and a trailing possessive dropped."""
    text = nfkc(text).strip(" \t\"“”‘'()[],;:")
    text = _ARTICLE.sub("", text)
    text = _POSSESSIVE.sub("", text)
    return text.strip(" -–—,")


def name_key(text: str) -> str:
    """Comparison key of a proper name: case, accents, punctuation, article, possessive folded."""
    text = ascii_fold(clean_name(text)).casefold()
    text = re.sub(r"[^\w\s&-]", "", text)
    text = text.replace("-", " ")
    return " ".join(text.split())


class Titles:
    """Titles kept as roles and honorifics stripped from names (``[titles] roles`` and
    ``[titles] honorifics`` of the rules): one per rules, ``Titles.of(extraction.rules)``."""

    def __init__(self, rules: Rules) -> None:
        self.roles = rules.ordered("titles", "roles")
        self.honorifics = rules.ordered("titles", "honorifics")
        titles = "|".join(re.escape(t) for t in sorted(set(self.roles), key=lambda t: (-len(t), t)))
        hons = "|".join(re.escape(h) for h in sorted(set(self.honorifics), key=lambda t: (-len(t), t)))
        self._leading = re.compile(rf"^(?:(?P<title>{titles})|(?P<hon>{hons}))\s+(?=[A-Z])", re.IGNORECASE)
        self._before = re.compile(rf"(?:(?P<title>{titles})|(?P<hon>{hons}))\s+$")
        self._after = re.compile(
            rf"^\s*,\s+(?:the|a|an)?\s*(?:[A-Z][\w-]+\s+){{0,3}}?(?P<title>{titles})\b(?!\s+[A-Z][a-z])"
        )
        self._canonical = {}
        for t in self.roles:  # the first spelling listed is the label
            self._canonical.setdefault(t.casefold(), t.rstrip("."))

    @staticmethod
    def of(rules: Rules | None) -> Titles:
        """The titles of ``rules`` (the default rules for None), compiled once per rules."""
        return _titles(rules or default_rules())

    def canonical(self, title: str) -> str:
        return self._canonical.get(title.casefold(), title)

    def strip_title(self, name: str) -> tuple[str, list[str]]:
        """Remove leading titles and honorifics from a name; return (name, roles)."""
        roles: list[str] = []
        while True:
            m = self._leading.match(name)
            if not m:
                break
            if m.group("title"):
                roles.append(self.canonical(m.group("title")))
            name = name[m.end() :]
        return name, roles

    def has_honorific(self, name: str) -> bool:
        """Whether a name starts with Mr, Mrs, Ms, Dr ... followed by a capitalised word."""
        m = self._leading.match(name)
        return bool(m and m.group("hon"))

    def before(self, text: str, start: int) -> str | None:
        """The title written just before a name at ``start`` ("Prime Minister Hun Manet"), if any."""
        m = self._before.search(text[max(0, start - 60) : start])
        if m and m.group("title"):
            return self.canonical(m.group("title"))
        return None

    def after(self, text: str, end: int) -> str | None:
        """An appositive title after a name ("Yvette Cooper, the British Foreign Secretary")."""
        m = self._after.match(text[end : end + 80])
        if m:
            return self.canonical(m.group("title"))
        return None


@lru_cache(maxsize=16)
def _titles(rules: Rules) -> Titles:
    return Titles(rules)


def strip_title(name: str) -> tuple[str, list[str]]:
    """Remove leading titles and honorifics from a name (default rules); (name, roles)."""
    return Titles.of(None).strip_title(name)


def has_honorific(name: str) -> bool:
    """Whether a name starts with an honorific (default rules)."""
    return Titles.of(None).has_honorific(name)


def title_before(text: str, start: int) -> str | None:
    """The title written just before a name at ``start`` (default rules), if any."""
    return Titles.of(None).before(text, start)


def title_after(text: str, end: int) -> str | None:
    """An appositive title after a name (default rules), if any."""
    return Titles.of(None).after(text, end)


def initials(name: str) -> str:
    """Initials of the content words of a name ("United Nations Office on Drugs and Crime" -> UNODC)."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.casefold() not in STOP_WORDS]
    return "".join(w[0] for w in words).upper()


def looks_like_acronym(text: str) -> bool:
    bare = text.replace(".", "")
    return 2 <= len(bare) <= 8 and bare.isalpha() and bare.upper() == bare


def known_acronyms() -> dict[str, str]:
    """Short form -> full name of the default rules (``graph/rules/acronyms.tsv``; the
    resolver reads the ``acronyms`` of its extraction's rules)."""
    return dict(default_rules().acronyms)


def singular(word: str) -> str:
    """Crude English singular of a plural head noun (enough to fold "victims"/"victim")."""
    lower = word.casefold()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if len(lower) > 4 and lower.endswith("ies"):
        return lower[:-3] + "y"
    if len(lower) > 4 and lower.endswith(("ches", "shes", "sses", "xes")):
        return lower[:-2]
    if len(lower) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return lower[:-1]
    return lower


def is_plural(text: str) -> bool:
    words = clean_name(text).split()
    if not words:
        return False
    head = words[-1].casefold()
    return head in PLURAL_HEADS or singular(head) != head


def group_words(text: str) -> list[str]:
    """The content words of a generic noun phrase: quantifiers, numbers and articles dropped."""
    words = re.findall(r"[\w'’-]+", nfkc(text))
    out = list(words)
    while out and (out[0].casefold() in _QUANTIFIERS or out[0].casefold() in _NUMBER_WORDS
                   or re.fullmatch(r"[\d.,]+", out[0])):  # "53", not "17-year-old"
        out = out[1:]
    return out or words


_COLLECTIVE = {"group", "groups", "gang", "gangs", "network", "networks", "syndicate", "syndicates", "ring", "rings"}


def group_key(text: str) -> str:
    """Folded form of a generic group ("thousands of trafficked persons" -> "trafficked person",
    "scam centres" -> "scam center", "organised criminal groups" -> "organized crime group")."""
    words = [ascii_fold(w).casefold().strip("'’") for w in group_words(text)]
    words = [_SPELLING.get(w, w) for w in words]
    if words and words[-1] in _COLLECTIVE:
        words = ["crime" if w == "criminal" else w for w in words]
    if words:
        words[-1] = singular(words[-1])
    return " ".join(re.sub(r"[^\w-]", "", w) for w in words if w)


_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i >= 2}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
           "dec"}
_COUNT_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_COUNT_BEFORE = re.compile(
    rf"(?:^|[\s(\[\"“])(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{_COUNT_WORD})(?:-(?:{_COUNT_WORD}))?)"
    r"\s+(?:(?:more|other|additional|further|new)\s+)?$",
    re.IGNORECASE,
)


def count_before(text: str, start: int) -> tuple[str, str] | None:
    """The exact count written just before a generic noun at ``start`` ("771 people",
    "Forty-two Kenyans", "150 more Kenyans"): (normalised number, surface), or None for
    none, a vague one ("hundreds of"), a lone "one" or an age ("16-year-old")."""
    window = text[max(0, start - 60) : start]
    m = _COUNT_BEFORE.search(window)
    if m is None:
        return None
    surface = m.group("n")
    before = window[: m.start("n")].split()
    if before and before[-1].strip(".,").casefold() in _MONTHS:
        return None  # "On March 14 Kenyans returned": a date
    if surface[0].isdigit():
        value = int(surface.replace(",", ""))
    else:
        value = sum(_UNITS.get(w, _TENS.get(w, 0)) for w in surface.casefold().split("-"))
    if value <= 1:
        return None
    return str(value), surface


_MAGNITUDES = default_rules().words("quantifiers", "figure_magnitudes")


def counted_noun(figure: str) -> str | None:
    """What a figure counts: the lemma of its head noun, spelling folded ("20 of the 53
    scamming compounds" -> "compound", "53 scam centres" -> "center", "as many as 100,000
    people" -> "person"; a participle after the noun is skipped: "58 survivors interviewed"
    -> "survivor"); None when it names no noun ("US$12.5 billion", "40%") or no number."""
    words = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", nfkc(figure))
    lower = [w.casefold() for w in words]
    if not re.search(r"\d", figure) and not any(w in _NUMBER_WORDS or w in _MAGNITUDES for w in lower):
        return None
    while lower and len(lower[-1]) > 4 and lower[-1].endswith("ed") and not lower[-1].endswith("eed"):
        lower.pop()  # "survivors interviewed": a reduced relative clause, not the head
    if not lower or lower[-1] in _MAGNITUDES or lower[-1] in _NUMBER_WORDS or lower[-1] in _QUANTIFIERS:
        return None
    head = ascii_fold(lower[-1].split("-")[-1])
    return singular(_SPELLING.get(head, head))


def group_label(text: str) -> str:
    """Display form of a generic group: the surface text without quantifiers or articles."""
    return " ".join(group_words(text))


def is_proper(text: str) -> bool:
    """A name whose content words are all capitalised ("KK Park", "Rohingya")."""
    words = [w for w in clean_name(text).split() if w.casefold() not in STOP_WORDS]
    return bool(words) and all(w[:1].isupper() or w[:1].isdigit() for w in words)
