"""Mention recall: how many gold subjects and objects the entity stage marks as mentions.

A relation model that classifies pairs of mentions can only find a gold triple whose two
arguments are both mentions (``doc.spans["ng_mentions"]``), so this is the ceiling the
entity stage sets on extraction recall. For every document of a corpus (default
``../shared/corpus/news-dev``, read with the project's ingest so offsets match) the
pipeline's extract stage runs once; then for every gold triple each argument is looked for

* in the gold evidence sentence(s): a mention there whose text or norm matches the gold
  name or one of its ``# aliases:`` the way ``newsgraph eval`` compares names (strict:
  equal after ``graph.evaluate.normalize``; relaxed: one name's words contain the other's);
* anywhere in the document (same test, any mention).

``estimates`` objects are figures, not mentions: they are checked against the figure
phrases (``doc.spans["ng_quantities"]``) by their leading number and reported apart.

Printed: argument and triple (both arguments) recall overall, per relation, per entity kind
(a shape class of the gold name: name, acronym, country, figure-led, generic phrase, ...),
per document range (``--split 90``: tune on 001-090, report 091-120 apart) and the most
frequent shapes of missed arguments. ``--show N`` prints N missed arguments with their
sentence to the terminal (article text never goes into a file). Run:
    python benchmarks/mention_recall.py
    python benchmarks/mention_recall.py --show 40 --docs 1-90
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.evaluate import GoldFile, leading_figure, names_match, normalize, read_gold  # noqa: E402
from graph.ingest import read_documents  # noqa: E402
from graph.model import Document  # noqa: E402
from graph.rdf.namespaces import relation_key  # noqa: E402

PRONOUNS = {"he", "him", "his", "she", "her", "it", "its", "they", "them", "their", "we", "us", "our",
            "those", "these", "who", "whom", "i", "me", "my", "you", "your"}
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "news-dev"
ESTIMATES = relation_key("estimates")
NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve", "dozens", "hundreds", "thousands", "tens", "millions", "some", "about", "at",
                "more", "nearly", "almost", "over", "around", "up", "least", "as", "many"}


@dataclass(slots=True)
class Tally:
    """Found / total counters for one slice (sentence level and document level)."""

    total: int = 0
    in_sentence: int = 0
    in_document: int = 0

    def add(self, sentence: bool, document: bool) -> None:
        self.total += 1
        self.in_sentence += sentence
        self.in_document += document

    def line(self, name: str, width: int = 34) -> str:
        if not self.total:
            return f"{name:{width}s} {0:5d}"
        return (f"{name:{width}s} {self.total:5d}   sentence {self.in_sentence / self.total:.3f}"
                f"   document {self.in_document / self.total:.3f}")


@dataclass(slots=True)
class Report:
    """Tallies by slice, and the missed arguments for the shape table and ``--show``."""

    args: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    triples: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    relations: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    kinds: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    reasons: Counter = field(default_factory=Counter)
    # doc, role, name, shape, sentence, mentions there, written in the sentence
    missed: list[tuple[str, str, str, str, str, str, bool]] = field(default_factory=list)


# ------------------------------------------------------------------------- gold names

_CAP = re.compile(r"^[A-Z][\w.'’&-]*$")


def kind_of(name: str, countries: set[str]) -> str:
    """A shape class of a gold argument, independent of what the pipeline finds."""
    words = name.split()
    if not words:
        return "empty"
    low = [w.lower().strip(",.") for w in words]
    if re.match(r"^[\d$£€]", words[0]) or low[0] in NUMBER_WORDS and len(words) > 1:
        return "figure-led phrase"
    if name in countries or normalize(name) in countries:
        return "country or demonym"
    if len(words) == 1 and re.fullmatch(r"[A-Z][A-Z.&-]{1,}s?", words[0]):
        return "acronym"
    content = [w for w, lw in zip(words, low, strict=True) if lw not in {"of", "the", "and", "for", "on", "in", "de", "al"}]
    caps = [bool(_CAP.match(w)) for w in content]
    if caps and all(caps):
        return "proper name (1 word)" if len(content) == 1 else "proper name"
    if caps and any(caps):
        return "name + common words"
    return "generic phrase (1 word)" if len(words) == 1 else "generic phrase"


def shape_of(name: str) -> str:
    """Word shapes of a missed name: Xx for a capitalised word, X for all caps, d for a
    number, the word itself for lower-case function words, x for other lower-case words."""
    out = []
    for w in name.split():
        if re.match(r"^[\d$£€]", w):
            out.append("d")
        elif re.fullmatch(r"[A-Z][A-Z.&-]+s?", w):
            out.append("X")
        elif w[:1].isupper():
            out.append("Xx")
        elif w.lower() in {"of", "the", "and", "for", "on", "in", "'s", "’s", "a", "an"}:
            out.append(w.lower())
        else:
            out.append("x")
    return " ".join(out)


# ------------------------------------------------------------------------- matching


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def evidence_sentences(doc, evidence: str) -> list:
    """The sentences of ``doc`` the evidence text lies in: found verbatim (whitespace
    squashed, up to its first 60 characters), else the sentence sharing most words."""
    sents = list(doc.sents)
    ev = _squash(evidence)
    if not ev:
        return []
    text = doc.text
    squashed, index = [], []  # squashed text with a map back to doc offsets
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            squashed.append(" ")
            prev_space = True
        else:
            squashed.append(ch)
            prev_space = False
        index.append(i)
    flat = "".join(squashed)
    pos = flat.find(ev)
    length = len(ev)
    if pos < 0:
        probe = ev[:60]
        pos = flat.find(probe)
        length = len(probe)
    if pos >= 0:
        start, end = index[pos], index[min(pos + length, len(index)) - 1] + 1
        return [s for s in sents if s.start_char < end and s.end_char > start]
    words = set(normalize(ev).split())
    best = max(sents, key=lambda s: len(words & set(normalize(s.text).split())), default=None)
    return [best] if best is not None else []


def matches(gold_name: str, span, aliases: dict[str, str], mode: str) -> bool:
    forms = [span.text] + ([span._.ng_norm] if span._.ng_norm else [])
    return any(names_match(gold_name, f, aliases, mode) for f in forms)


def named_in(gold_name: str, text: str, aliases: dict[str, str]) -> bool:
    """Whether the gold name, or an alias of its canonical name other than a pronoun, is
    written in ``text`` (as whole words after normalising): a name-finding mention could
    cover it there; a pronoun needs coreference."""
    canon = aliases.get(normalize(gold_name), normalize(gold_name))
    forms = {normalize(gold_name), canon, *(a for a, c in aliases.items() if c == canon)} - PRONOUNS
    words = f" {normalize(text)} "
    return any(f and f" {f} " in words for f in forms)


def figure_matches(gold_name: str, span) -> bool:
    figure = leading_figure(gold_name)
    return figure is not None and leading_figure(span.text) == figure


# ------------------------------------------------------------------------- run


def parse_range(spec: str) -> tuple[int, int]:
    lo, _, hi = spec.partition("-")
    return int(lo), int(hi or lo)


def doc_number(stem: str) -> int | None:
    m = re.match(r"(\d+)", stem)
    return int(m.group(1)) if m else None


def load(corpus: Path, docs_range: tuple[int, int] | None) -> list[tuple[Document, GoldFile]]:
    golds = {p.stem: p for p in sorted((corpus / "gold").glob("*.tsv"))}
    pairs = []
    for doc in read_documents([corpus / "docs"]):
        if not isinstance(doc, Document):
            raise SystemExit(f"error: {doc}")
        stem = Path(doc.source).stem
        if stem not in golds:
            continue
        n = doc_number(stem)
        if docs_range and (n is None or not docs_range[0] <= n <= docs_range[1]):
            continue
        pairs.append((doc, read_gold(golds[stem])))
    return pairs


def score(nlp, pairs, mode: str, split: int | None, countries: set[str]) -> Report:
    report = Report()
    texts = ((doc.text, (doc, gold)) for doc, gold in pairs)
    for sdoc, (doc, gold) in nlp.pipe(texts, as_tuples=True, batch_size=16):
        stem = Path(doc.source).stem
        n = doc_number(stem)
        part = ("all",) if split is None or n is None else ("all", f"001-{split:03d}" if n <= split else f"{split + 1:03d}-")
        mentions = list(sdoc.spans.get("ng_mentions", []))
        quantities = list(sdoc.spans.get("ng_quantities", []))
        for t in gold.triples:
            sents = evidence_sentences(sdoc, t.evidence)
            in_sent = [m for m in mentions if any(s.start <= m.start and m.end <= s.end for s in sents)]
            q_sent = [q for q in quantities if any(s.start <= q.start and q.end <= s.end for s in sents)]
            both_sent = both_doc = True
            for role, name in (("subject", t.subject), ("object", t.obj)):
                if role == "object" and relation_key(t.relation) == ESTIMATES and leading_figure(name) is not None:
                    found_s = any(figure_matches(name, q) for q in q_sent)
                    found_d = any(figure_matches(name, q) for q in quantities)
                    kind = "figure (estimates object)"
                else:
                    found_s = any(matches(name, m, gold.aliases, mode) for m in in_sent)
                    found_d = found_s or any(matches(name, m, gold.aliases, mode) for m in mentions)
                    kind = kind_of(name, countries)
                both_sent &= found_s
                both_doc &= found_d
                for p in part:
                    report.args[p].add(found_s, found_d)
                report.kinds[kind].add(found_s, found_d)
                if not found_s:
                    written = kind == "figure (estimates object)" or named_in(name, " ".join(s.text for s in sents), gold.aliases)
                    report.reasons["written in the sentence, no mention covers it" if written
                                   else "not written in the sentence (coreference, inference)"] += 1
                    sentence = _squash(" ".join(s.text for s in sents))
                    found = " | ".join(m.text for m in in_sent)
                    report.missed.append((stem, role, name, f"{kind}: {shape_of(name)}", sentence, found, written))
            for p in part:
                report.triples[p].add(both_sent, both_doc)
            report.relations[relation_key(t.relation)].add(both_sent, both_doc)
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="folder with docs/ and gold/ (default ../shared/corpus/news-dev)")
    parser.add_argument("--docs", metavar="LO-HI", help="only documents numbered LO to HI (e.g. 1-90)")
    parser.add_argument("--split", type=int, default=90, metavar="N",
                        help="also report documents 1-N and N+1- apart (default 90; 0: off)")
    parser.add_argument("--mode", choices=("relaxed", "strict"), default="relaxed",
                        help="name comparison, as newsgraph eval (default relaxed)")
    parser.add_argument("--shapes", type=int, default=15, metavar="N", help="missed-argument shapes to list")
    parser.add_argument("--show", type=int, default=0, metavar="N",
                        help="print N missed arguments with their sentence (terminal only)")
    parser.add_argument("--model", help="spaCy model (default: the project's)")
    args = parser.parse_args(argv)
    if not (args.corpus / "docs").is_dir() or not (args.corpus / "gold").is_dir():
        parser.error(f"{args.corpus}: no docs/ and gold/ folders")

    import pycountry

    from graph.extract import load_nlp
    from graph.rules import default_rules

    rules = default_rules()
    countries = {normalize(n) for n in [*rules.country_aliases, *rules.demonyms]}
    for c in pycountry.countries:
        countries.update(normalize(n) for n in (c.name, getattr(c, "common_name", c.name)))
    try:
        docs_range = parse_range(args.docs) if args.docs else None
    except ValueError:
        parser.error(f"--docs {args.docs!r}: expected LO-HI, e.g. 1-90")
    pairs = load(args.corpus, docs_range)
    if not pairs:
        parser.error(f"{args.corpus}: no document with a gold file")
    report = score(load_nlp(args.model), pairs, args.mode, args.split or None, countries)

    print(f"mention recall ({args.mode}) on {len(pairs)} documents of {args.corpus}")
    print("\narguments (subject or object covered by a mention)")
    for part, tally in report.args.items():
        print(tally.line(f"  {part}"))
    print("triples (both arguments covered)")
    for part, tally in report.triples.items():
        print(tally.line(f"  {part}"))
    print("\nper relation (triples, both arguments)")
    for rel, tally in sorted(report.relations.items(), key=lambda kv: -kv[1].total):
        print(tally.line(f"  {rel}"))
    print("\nper entity kind (arguments)")
    for kind, tally in sorted(report.kinds.items(), key=lambda kv: -kv[1].total):
        print(tally.line(f"  {kind}"))
    print("\narguments missed in the evidence sentence")
    for reason, count in report.reasons.most_common():
        print(f"  {count:4d}  {reason}")
    print("\nmost frequent shapes of the arguments written in the sentence but missed")
    for shape, count in Counter(m[3] for m in report.missed if m[6]).most_common(args.shapes):
        print(f"  {count:4d}  {shape}")
    if args.show:
        print(f"\nmissed arguments (first {args.show})")
        for stem, role, name, shape, sentence, found, written in report.missed[: args.show]:
            where = "" if written else ", not written in the sentence"
            print(f"- {stem} {role} {name!r} [{shape}{where}]\n    {sentence[:300]}\n    mentions: {found}")


if __name__ == "__main__":
    main()
