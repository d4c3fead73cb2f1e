"""Main-story detection for plain-text pages: keep the story, drop site furniture.

Scraped pages wrap one story in navigation, time stamps, calls to action, comment widgets,
source lines and hashtags, and often append other stories ("Related Articles").  The rules
here are general line heuristics, not site templates:

* every line is classified: blank, section marker ("Related Articles", "Read more", "More
  stories" ...), furniture (time stamps, CMS tokens, calls to action, comment widgets,
  source lines, hashtag lines, bylines, cookie notices), prose (a sentence of 8+ words, or 20+ words), a
  short sentence, or a short non-sentence line (headings, labels, menu items);
* prose lines form blocks; a block bridges any number of short sentences and at most
  ``MAX_GAP`` other lines (sub-headings, an ad label), but never a section marker;
* the main story is the longest block before the first section marker (or the longest
  block at all when no story-sized block precedes a marker; markers above the first
  block are menu items); every other block of at least
  ``MIN_STORY_CHARS`` is another story, titled by the first heading line above it;
* a box inside the story ("Related Articles" and a few headline links between two parts of
  it) does not cut it: the part after the box rejoins the story when it runs to two or more
  paragraphs and names what the part before it names.

Inside kept blocks only furniture is removed: CMS tokens like ``[[nid:719444]]`` and a final
call to action ("Join our Telegram channel ...").  A text without any prose line (a list,
a one-line note) is kept as it is.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

log = logging.getLogger("newsgraph")

MAX_GAP = 2
MIN_PROSE_WORDS = 8
LONG_LINE_WORDS = 20
MIN_STORY_CHARS = 150
MAX_BOX_LINES = 8

_MARKER = re.compile(
    r"^(related( articles?| stories| posts| news| content| coverage| links| reading| topics)?"
    r"|read (more|also|next)|also read|more (stories|news|articles|from [\w .'&-]{1,40}|on this( story)?)"
    r"|recommended( for you| stories| reading| articles)?|you (may|might) also (like|be interested in)"
    r"|trending( now| stories)?|most (read|popular|viewed)|popular( stories| now)?|top stories"
    r"|latest (news|stories)|see also|further reading|what to read next|editor'?s'? picks?"
    r"|don'?t miss|in other news|other stories|also on [\w .'-]{1,30})$",
    re.I,
)
_CMS_TOKEN = re.compile(r"\[\[[^\[\]\n]{1,100}\]\]|\{\{[^{}\n]{1,100}\}\}")
_TIMESTAMP = re.compile(
    r"\d+\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mos?|months?|y|yrs?|years?)\s+ago\b",
    re.I,
)
_DATE_LINE = re.compile(
    r"^(updated|published|posted|last updated|first published)?[:\s]*"
    r"(\w+,?\s+)?(\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})"
    r"([\s,T|-]+\d{1,2}[:.]\d{2}(\s*[ap]\.?m\.?)?(\s*\w{2,5})?)?\W*$",
    re.I,
)
_CTA = re.compile(
    r"(^|[.!?…]\s+)([A-Z][A-Z.]{2,}\s+)?(?i:(download|get|install)\b[^.!?]{0,40}\bapp\b"
    r"|subscribe\b|sign (up|in)\b|log ?in\b|register (now|here|for)\b|get started\b|try our\b"
    r"|(join|follow)\b[^.!?]{0,40}\b(telegram|whatsapp|facebook|twitter|instagram|tiktok|youtube|linkedin"
    r"|channel|newsletter|us)\b|(click|tap) here\b|share (this|on)\b|like us on\b|explore what\b"
    r"|get the latest\b[^.!?]{0,60}\bdelivered\b)"
)
_COMMENTS = re.compile(
    r"^(\d+\s+)?comments?\b|^no comments\b|leave a (comment|reply)|be the first to comment"
    r"|^(log|sign) in to comment|^show comments|^view comments",
    re.I,
)
_SOURCE = re.compile(
    r"\(article sourced website\)|^(source|sources|via|originally published|this (article|story) "
    r"(was |first )?(originally )?(published|appeared))\b|^[\w.-]+\.(com|org|net|info|news|co|io|gov|edu)(\.\w\w)?\b",
    re.I,
)
_BYLINE = re.compile(
    r"^\(?(by|written by|edited by|editing by|reporting by|additional reporting by|compiled by|"
    r"photos? by|text by|story by)\s+\S",
    re.I,
)
_CONSENT = re.compile(
    r"\b(we use cookies|this (web)?site uses cookies|accept (all )?cookies|cookie (policy|settings|preferences)"
    r"|by continuing to (use|browse) (this|our) (web)?site)\b",
    re.I,
)
_LEGAL = re.compile(r"\b(privacy policy|terms (of (use|service)|and conditions)|contact us|about us)\b", re.I)
_COPYRIGHT = re.compile(r"^(©|\(c\)|copyright\b)|all rights reserved", re.I)
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=\S)")


@dataclass(frozen=True, slots=True)
class Story:
    """One story found on a page: its text and the heading line above it, if any."""

    text: str
    title: str | None = None


@dataclass(slots=True)
class Page:
    """A page split into its main story, other stories and dropped furniture."""

    main: Story
    related: list[Story] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # removed lines/tokens, in page order


def _filler_sentence(sentence: str) -> bool:
    """A call to action, a question or a few words: what surrounds calls to action."""
    s = sentence.strip()
    return bool(_CTA.match(s)) or s.endswith("?") or len(s.split()) < MIN_PROSE_WORDS


def furniture_reason(line: str) -> str | None:
    """Why a (stripped) line is site furniture, or None."""
    words = len(line.split())
    if _CMS_TOKEN.fullmatch(line):
        return "cms-token"
    tokens = line.split()
    if tokens and sum(t.startswith("#") for t in tokens) >= max(2, len(tokens) // 2):
        return "hashtags"
    if words <= 12 and (_TIMESTAMP.search(line) or _DATE_LINE.match(line)):
        return "timestamp"
    if words <= 40 and _CTA.search(line) and all(_filler_sentence(x) for x in _SENTENCE_SPLIT.split(line)):
        return "call-to-action"
    if words <= 12 and _COMMENTS.search(line):
        return "comments"
    if words <= 20 and _SOURCE.search(line):
        return "source-line"
    if words <= 15 and _BYLINE.match(line):
        return "byline"
    if words <= 20 and _COPYRIGHT.search(line):
        return "copyright"
    if words <= 60 and _CONSENT.search(line):
        return "consent"
    if words <= 6 and _LEGAL.search(line):
        return "legal-link"
    return None


def _kind(line: str) -> str:
    """Line class: blank, marker, furniture, prose, sentence (short), short."""
    s = line.strip()
    if not s:
        return "blank"
    if len(s.split()) <= 6 and _MARKER.match(s.strip(" :-–—|>»•*#").strip()):
        return "marker"
    if furniture_reason(s):
        return "furniture"
    words = len(s.split())
    terminal = bool(_TERMINAL.search(s))
    if words >= LONG_LINE_WORDS or (terminal and words >= MIN_PROSE_WORDS):
        return "prose"
    return "sentence" if terminal else "short"


def _headline(line: str, kind: str) -> bool:
    """Could this short line be the headline of the story below it (not a menu or a label)?"""
    return kind == "short" and len(re.findall(r"\w+", line)) >= 3 and not re.search(r"\s[|·•»]\s", line)


def _gap(pending: list[int], kinds: list[str]) -> int:
    """Size of a gap between prose lines: short sentences ("He denied it.") do not count."""
    return sum(1 for j in pending if kinds[j] != "sentence")


@dataclass(slots=True)
class _Block:
    lines: list[int]  # indexes of kept lines (prose and short sentences between them)
    region: int  # 0 = before the first section marker
    title: str | None = None

    def size(self, lines: list[str]) -> int:
        return sum(len(lines[i]) for i in self.lines)


def _strip_final_cta(line: str) -> tuple[str, list[str]]:
    """Drop calls to action ending a story's last line ("... REUTERS Join our channel ...")."""
    dropped: list[str] = []
    while True:
        parts = _SENTENCE_SPLIT.split(line)
        if len(parts) < 2 or not _CTA.search(parts[-1]):
            return line, dropped
        cut = line.rfind(parts[-1])
        dropped.append(line[cut:])
        line = line[:cut].rstrip()


def _story_text(block: _Block, lines: list[str]) -> tuple[str, list[str]]:
    out: list[str] = []
    dropped: list[str] = []
    prev = -2
    for n, i in enumerate(block.lines):
        line = lines[i]
        if n == len(block.lines) - 1:
            line, cta = _strip_final_cta(line)
            dropped.extend(cta)
        if out:
            out.append("\n" if i == prev + 1 else "\n\n")
        out.append(line)
        prev = i
    return "".join(out), dropped


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}(?:[ -][A-Z][a-z]+)*")


def _names(text: str) -> set[str]:
    """Capitalised words not opening a sentence: the names a story keeps repeating."""
    return {m.group() for line in text.split("\n") for m in _NAME.finditer(line.strip())}


def _rejoin_boxed(main: _Block, blocks: list[_Block], lines: list[str], kinds: list[str]) -> list[_Block]:
    """Put back the rest of a story that a box cuts in two ("Related Articles" and a few
    headline links in the middle of an article).

    The block right after the box continues the main story when the box holds no prose
    (a marker, at most ``MAX_BOX_LINES`` short lines), the block runs to two or more
    paragraphs (teasers of other stories are one each) and it names at least two of the
    people, places or organisations the story before the box names.
    """
    while True:
        after = [b for b in blocks if b.lines[0] > main.lines[-1]]
        if not after:
            return blocks
        nxt = after[0]
        box = [i for i in range(main.lines[-1] + 1, nxt.lines[0]) if kinds[i] != "blank"]
        paragraphs = sum(1 for i in nxt.lines if kinds[i] == "prose")
        if not (
            any(kinds[i] == "marker" for i in box)
            and len(box) <= MAX_BOX_LINES
            and all(kinds[i] in ("marker", "short", "furniture") for i in box)
            and paragraphs >= 2
            and len(_names(" ".join(lines[i] for i in main.lines)) & _names(" ".join(lines[i] for i in nxt.lines))) >= 2
        ):
            return blocks
        log.debug("boilerplate: story resumes after a box at line %d", nxt.lines[0] + 1)
        main.lines.extend(nxt.lines)
        blocks = [b for b in blocks if b is not nxt]


def split_page(text: str) -> Page:
    """Find the main story of a plain-text page; other stories and furniture come apart."""
    raw = text.split("\n")
    lines: list[str] = []
    token_drops: dict[int, list[str]] = {}
    for i, line in enumerate(raw):
        tokens = _CMS_TOKEN.findall(line)
        if tokens and not _CMS_TOKEN.fullmatch(line.strip()):
            token_drops[i] = tokens
            line = re.sub(r"[ \t]{2,}", " ", _CMS_TOKEN.sub("", line))
        lines.append(line.rstrip())
    kinds = [_kind(line) for line in lines]
    if "prose" not in kinds:
        return Page(main=Story(text.strip()))

    blocks: list[_Block] = []
    region = 0
    current: _Block | None = None
    pending: list[int] = []  # non-blank, non-prose lines since the last prose line
    above: list[int] = []  # non-blank lines since the last block ended: the next one's heading
    for i, kind in enumerate(kinds):
        if kind == "blank":
            continue
        if kind == "marker" and not blocks:
            kind = kinds[i] = "short"  # a menu item above the first story, not a section
        if kind == "marker":
            region += 1
            current, pending, above = None, [], []
        elif kind == "prose":
            if current is not None and _gap(pending, kinds) <= MAX_GAP:
                current.lines.extend(j for j in pending if kinds[j] == "sentence")
                current.lines.append(i)
            else:
                title = next((lines[j].strip() for j in reversed(above) if _headline(lines[j], kinds[j])), None)
                current = _Block([i], region, title)
                blocks.append(current)
                above = []
            pending = []
        else:
            pending.append(i)
            if current is None:
                above.append(i)
            elif _gap(pending, kinds) > MAX_GAP or (region > 0 and _headline(lines[i], kind)):
                # other stories are mostly one paragraph each: a headline starts the next one
                current, above = None, list(pending)

    first = [b for b in blocks if b.region == 0 and b.size(lines) >= MIN_STORY_CHARS] or blocks
    main = max(first, key=lambda b: b.size(lines))
    blocks = _rejoin_boxed(main, blocks, lines, kinds)
    main_text, dropped_cta = _story_text(main, lines)
    related: list[Story] = []
    kept = set(main.lines)
    for b in blocks:
        if b is main or b.size(lines) < MIN_STORY_CHARS:
            continue
        story_text, cta = _story_text(b, lines)
        related.append(Story(story_text, b.title))
        kept.update(b.lines)
        dropped_cta.extend(cta)
    dropped: list[str] = []
    for i, line in enumerate(lines):
        dropped.extend(token_drops.get(i, []))
        if i not in kept and line.strip():
            dropped.append(line.strip())
            log.debug("boilerplate: dropped %s line %d: %.60s", kinds[i], i + 1, line.strip())
    dropped.extend(dropped_cta)
    title = main.title
    return Page(main=Story(main_text, title), related=related, dropped=dropped)
