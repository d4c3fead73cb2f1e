"""Surface forms -> canonical names: titles, possessives, acronyms, short forms, group folding.

Pure string functions (no spaCy): the resolver calls them on mention texts and on the
document text around a mention (a title just before a name becomes the person's role).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

ACRONYMS_FILE = Path(__file__).resolve().parent / "acronyms.tsv"

#: Titles kept as roles ("Prime Minister Hun Manet" -> Hun Manet, role "Prime Minister").
TITLES = (
    "Deputy Prime Minister", "Prime Minister", "Vice President", "President", "Secretary-General",
    "Secretary General", "Under-Secretary-General", "Deputy Secretary General", "Secretary of State",
    "Foreign Secretary", "Home Secretary", "Foreign Minister", "Interior Minister", "Justice Minister",
    "Defence Minister", "Defense Minister", "Finance Minister", "Labour Minister", "Labor Minister",
    "Deputy Minister", "Minister", "Senior Minister", "Ambassador", "Senator", "Governor", "Mayor",
    "Chairman", "Chairwoman", "Chairperson", "Chief Executive", "CEO", "Director General", "Director",
    "Executive Director", "Deputy Director", "Commissioner", "Police Chief", "Police General",
    "Lieutenant General", "Major General", "General", "Gen.", "Colonel", "Col.", "Lieutenant", "Captain",
    "Judge", "Justice", "King", "Queen", "Prince", "Princess", "Spokesperson", "Spokesman", "Spokeswoman",
    "Spokesman", "Professor", "Prof.", "Prof", "Special Rapporteur", "Rapporteur", "Tycoon", "Senior General",
    "Acting President", "Representative", "Rep.", "Sen.", "Attorney General", "Inspector", "Sheikh",
)
#: Honorifics: stripped, not kept as roles.
HONORIFICS = ("Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Mx", "Dr", "Dr.", "Sir", "Dame", "Madam")

_TITLE_ALT = "|".join(re.escape(t) for t in sorted(set(TITLES), key=lambda t: (-len(t), t)))
_HON_ALT = "|".join(re.escape(h) for h in sorted(HONORIFICS, key=lambda t: (-len(t), t)))
_LEADING = re.compile(rf"^(?:(?P<title>{_TITLE_ALT})|(?P<hon>{_HON_ALT}))\s+(?=[A-Z])", re.IGNORECASE)
_BEFORE = re.compile(rf"(?:(?P<title>{_TITLE_ALT})|(?P<hon>{_HON_ALT}))\s+$")
_AFTER = re.compile(
    rf"^\s*,\s+(?:the|a|an)?\s*(?:[A-Z][\w-]+\s+){{0,3}}?(?P<title>{_TITLE_ALT})\b(?!\s+[A-Z][a-z])"
)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_QUANTIFIERS = {
    "the", "a", "an", "some", "many", "most", "all", "several", "those", "these", "this", "that", "other",
    "another", "more", "fewer", "few", "dozens", "hundreds", "thousands", "millions", "tens", "scores",
    "of", "at", "least", "about", "around", "nearly", "almost", "over", "up", "to", "as", "such", "their",
    "his", "her", "its", "our", "your", "my", "them", "they", "both", "each", "every", "any", "no", "only",
    "further", "additional", "numerous", "countless", "remaining", "estimated", "roughly", "approximately",
}
_NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million", "dozen",
}
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


def strip_title(name: str) -> tuple[str, list[str]]:
    """Remove leading titles and honorifics from a name; return (name, roles)."""
    roles: list[str] = []
    while True:
        m = _LEADING.match(name)
        if not m:
            break
        if m.group("title"):
            roles.append(_canonical_title(m.group("title")))
        name = name[m.end() :]
    return name, roles


def has_honorific(name: str) -> bool:
    """Whether a name starts with Mr, Mrs, Ms, Dr ... followed by a capitalised word."""
    m = _LEADING.match(name)
    return bool(m and m.group("hon"))


def _canonical_title(title: str) -> str:
    for t in TITLES:
        if t.casefold() == title.casefold():
            return t.rstrip(".")
    return title


def title_before(text: str, start: int) -> str | None:
    """The title written just before a name at ``start`` ("Prime Minister Hun Manet"), if any."""
    m = _BEFORE.search(text[max(0, start - 60) : start])
    if m and m.group("title"):
        return _canonical_title(m.group("title"))
    return None


def title_after(text: str, end: int) -> str | None:
    """An appositive title after a name ("Yvette Cooper, the British Foreign Secretary")."""
    m = _AFTER.match(text[end : end + 80])
    if m:
        return _canonical_title(m.group("title"))
    return None


def initials(name: str) -> str:
    """Initials of the content words of a name ("United Nations Office on Drugs and Crime" -> UNODC)."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.casefold() not in STOP_WORDS]
    return "".join(w[0] for w in words).upper()


def looks_like_acronym(text: str) -> bool:
    bare = text.replace(".", "")
    return 2 <= len(bare) <= 8 and bare.isalpha() and bare.upper() == bare


@cache
def known_acronyms() -> dict[str, str]:
    """Short form -> full name, from ``acronyms.tsv`` (case-sensitive keys)."""
    out: dict[str, str] = {}
    try:
        lines = ACRONYMS_FILE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return out
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        short, _, full = line.partition("\t")
        if full.strip():
            out[short.strip()] = full.strip()
    return out


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


_MAGNITUDES = {"hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions",
               "trillion", "dozen", "dozens", "percent", "cent", "pc", "k", "m", "bn", "tens", "scores"}


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
