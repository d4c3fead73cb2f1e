"""Data-driven verb-frame relation engine (``newsgraph_relations``).

Frames come from ``graph/rules/frames.toml`` (plus user ``--rules`` files): a trigger lemma
maps to a relation whose subject and object are found by dependency roles (agent,
patient, prep:X, xcomp, poss, clause:T). The engine handles passive voice, relative and
participial clauses, coordinated arguments and verbs, control ("forced to ..."), simple
metonymy ("Cambodia's government" -> Cambodia), pronoun and definite-description
arguments (emitted as PRON / NOMINAL mentions for the resolver), attribution, negation
and hedging (see ``attribution.py``). One dictionary look-up per token finds triggers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from graph.errors import RulesError
from graph.extract.attribution import estimates, modality, source_of
from graph.extract.doc import MENTIONS_KEY, SpanClaim
from graph.extract.entities import PRONOUN_TYPES, EntityTagger, noun_phrase
from graph.extract.syntax import is_passive, origin_of_noun, preps, subject_of, with_conjuncts
from graph.model import EntityType
from graph.rules import Rules, default_rules, load_rules

log = logging.getLogger("newsgraph")

# English function words ([quantifiers] of graph/rules/words.toml, a fixed table)
BARE_QUANTIFIERS = default_rules().words("quantifiers", "bare")
DOCUMENTS = {"report", "study", "investigation", "statement", "finding", "survey", "review"}
LIGHT_VERBS = {"carry", "commit", "conduct", "engage", "do", "perform", "run", "participate", "take",
               "undertake", "operate", "staff", "join"}
NAMED_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
PLACE_TYPES = {EntityType.COUNTRY.value, EntityType.PLACE.value}
#: collective nouns that name people when they fill a people-only role ("the group was lured")
PEOPLE_COLLECTIVES = {"group", "batch", "contingent"}
PEOPLE_TYPES = {EntityType.PERSON.value, EntityType.GROUP.value}
ROLE_NAMES = ("agent", "patient", "xcomp", "poss", "head-agent", "appos")
ANY = frozenset()


@dataclass(frozen=True, slots=True)
class Frame:
    """One pattern: trigger lemmas + roles -> relation (see frames.toml for the keys)."""

    id: str
    relation: str
    lemmas: frozenset[str]
    subject: tuple[str, ...]
    object: tuple[str, ...]
    pos: str = "VERB"
    voice: str = "any"
    confidence: float = 0.7
    particle: frozenset[str] = ANY
    requires_prep: frozenset[str] = ANY
    patient_lemmas: frozenset[str] = ANY
    exclude_patient_lemmas: frozenset[str] = ANY
    subject_types: frozenset[str] = ANY
    object_types: frozenset[str] = ANY
    topic_object: bool = False
    metonymy: bool = False
    fallback_type: str = ""
    expand_location: bool = False
    places_only: bool = False
    mutual: bool = False

    @property
    def extractor(self) -> str:
        return f"frame:{self.id}"

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str) -> Frame:
        try:
            roles = {k: tuple(d[k]) if isinstance(d[k], (list, tuple)) else (d[k],) for k in ("subject", "object")}
            for role in roles["subject"] + roles["object"]:
                if not (role in ROLE_NAMES or role.startswith(("prep:", "head-prep:", "clause:", "verb:"))):
                    raise ValueError(f"unknown role {role!r}")
            sets = {
                k: frozenset(str(x) for x in d.get(k, []))
                for k in ("particle", "requires_prep", "patient_lemmas", "exclude_patient_lemmas", "subject_types", "object_types")
            }
            for k in ("subject_types", "object_types"):
                for t in sets[k]:
                    EntityType(t)
            voice = d.get("voice", "any")
            if voice not in {"any", "active", "passive"}:
                raise ValueError(f"bad voice {voice!r}")
            return cls(
                id=str(d["id"]),
                relation=str(d["relation"]),
                lemmas=frozenset(str(x).lower() for x in d["lemmas"]),
                pos=str(d.get("pos", "VERB")).upper(),
                voice=voice,
                confidence=float(d.get("confidence", 0.7)),
                topic_object=bool(d.get("topic_object", False)),
                metonymy=bool(d.get("metonymy", False)),
                fallback_type=EntityType(d["fallback_type"]).value if d.get("fallback_type") else "",
                expand_location=bool(d.get("expand_location", False)),
                places_only=bool(d.get("places_only", False)),
                mutual=bool(d.get("mutual", False)),
                **roles,
                **sets,
            )
        except (KeyError, ValueError, TypeError) as err:
            raise RulesError(f"{where}: bad frame {d.get('id', '?')!r}: {err}") from err


SOURCE_FRAME = Frame("source", "source", frozenset(), ("agent",), ("agent",), metonymy=True)


def load_frames(rules: Rules | Iterable[str | Path] = ()) -> list[Frame]:
    """The frames of the rules (default frames plus those of user rules files; a frame with
    the ``id`` of an earlier one replaces it)."""
    if not isinstance(rules, Rules):
        rules = load_rules(rules)
    frames: dict[str, Frame] = {}
    for where, d in rules.frames:
        f = Frame.from_dict(dict(d), where)
        frames[f.id] = f
    return list(frames.values())


def _generic_facility(m: Span) -> bool:
    """An unnamed facility ("compounds", "a scam centre"), as opposed to "KK Park"."""
    return m._.ng_type == EntityType.FACILITY.value and m.label_ in {"FACILITY", "NOMINAL"}


@dataclass(slots=True)
class DocState:
    """Per-document indexes over mentions (named by token, generic by root)."""

    doc: Doc
    by_token: dict[int, Span] = field(default_factory=dict)
    added: list[Span] = field(default_factory=list)

    @classmethod
    def of(cls, doc: Doc) -> DocState:
        st = cls(doc)
        mentions = list(doc.spans.get(MENTIONS_KEY, []))
        for m in sorted(mentions, key=lambda s: -len(s)):  # shorter (named) overwrite longer
            for i in range(m.start, m.end):
                st.by_token[i] = m
        for m in mentions:  # a generic phrase owns its head word
            st.by_token.setdefault(m.root.i, m)
            if m._.ng_type in {"Group", "Facility", "Topic"}:
                st.by_token[m.root.i] = m
        return st


class RelationFinder:
    """Applies frames to every sentence; stores ``SpanClaim`` objects in ``doc._.ng_claims``."""

    def __init__(self, frames: list[Frame], tagger: EntityTagger | None = None, attribution: bool = True,
                 rules: Rules | None = None) -> None:
        self.rules = rules = rules or default_rules()
        self.frames = frames
        # [government] and [titles] of the rules: who speaks for a state, nouns for people by post
        self.speakers = rules.words("government", "speakers")
        self.agents = rules.words("government", "agents")
        self.posts = rules.words("titles", "posts")
        self.index: dict[tuple[str, str], list[Frame]] = {}
        for f in frames:
            for lemma in f.lemmas:
                self.index.setdefault((lemma, f.pos), []).append(f)
        self.tagger = tagger
        self.attribution = attribution

    # -- mentions for argument tokens ------------------------------------------------------
    def _new(self, st: DocState, start: int, end: int, label: str, etype: EntityType) -> Span:
        old = st.by_token.get(start)
        if old is not None and old.start == start and old.end == end:
            return old
        span = Span(st.doc, start, end, label=label)
        span._.ng_type = etype.value
        st.added.append(span)
        for i in range(start, end):
            st.by_token.setdefault(i, span)
        st.by_token[span.root.i] = span
        return span

    def _countries_of(self, st: DocState, tok: Token) -> list[Span]:
        """The countries a government word stands for: ``_country_of``, or the countries after
        in/from/of on a word for the state's agents ("police from Laos and China")."""
        one = self._country_of(st, tok)
        if one is not None:
            return [one]
        if tok.lemma_.lower() not in self.agents:
            return []
        out: list[Span] = []
        for p in with_conjuncts(preps(tok, {"in", "from", "of"})):
            m = st.by_token.get(p.i)
            if m is not None and m._.ng_type == EntityType.COUNTRY.value and m not in out:
                out.append(m)
        return out

    def _country_of(self, st: DocState, tok: Token) -> Span | None:
        """The country a government word stands for ("Cambodia's government", "Thai premier")."""
        if tok.lemma_.lower() not in self.speakers and not (tok.dep_ == "compound" and tok.head.lemma_.lower() in self.speakers):
            return None
        head = tok if tok.lemma_.lower() in self.speakers else tok.head
        for c in head.subtree:
            if c.i >= head.i and c is not head:
                break
            m = st.by_token.get(c.i)
            if m is not None and m._.ng_type == EntityType.COUNTRY.value and c.dep_ in {"poss", "amod", "compound", "nmod", "npadvmod"}:
                return m
        for p in preps(head, {"of"}):
            m = st.by_token.get(p.i)
            if m is not None and m._.ng_type == EntityType.COUNTRY.value:
                return m
        return None

    def mention(self, st: DocState, tok: Token, frame: Frame, is_object: bool) -> Span | None:
        """The mention an argument token stands for (created on demand), or None."""
        if frame.metonymy:
            country = self._country_of(st, tok)
            if country is not None:
                return country
        if tok.lemma_.lower() in DOCUMENTS and not is_object:
            for c in tok.children:
                m = st.by_token.get(c.i)
                if c.dep_ in {"poss", "compound"} and m is not None and m._.ng_type == EntityType.ORGANIZATION.value:
                    return m
        for c in tok.children:  # "the zone's operator, Kings Romans Group," -> the name
            if c.dep_ == "appos":
                named = st.by_token.get(c.i)
                if named is not None and named.label_ in NAMED_LABELS:
                    return named
        m = st.by_token.get(tok.i)
        if m is not None and m.label_ == "NORP" and m.root.i == tok.i and tok.dep_ in {"dobj", "nsubj", "nsubjpass", "pobj"}:
            # "luring young Taiwanese": a demonym used as a noun names a group of people
            phrase = noun_phrase(tok)
            if len(phrase) > 1:  # a lone "Chinese" keeps its offsets (and type) as a demonym
                return self._new(st, phrase.start, phrase.end, "GROUP", EntityType.GROUP)
        if m is not None:
            return m
        if tok.lower_ in BARE_QUANTIFIERS and tok.dep_ in {"nsubj", "nsubjpass"} and not preps(tok, {"of"}):
            return self._new(st, tok.i, tok.i + 1, "PRON", EntityType.GROUP)  # "Many had been trafficked"
        if tok.pos_ == "PRON" and tok.lower_ in PRONOUN_TYPES:
            return self._new(st, tok.i, tok.i + 1, "PRON", PRONOUN_TYPES[tok.lower_])
        if tok.pos_ not in {"NOUN", "PROPN"}:
            return None
        if self.tagger is not None:
            hit = self.tagger.classify_noun(tok)
            if hit is not None:
                etype, phrase, label = hit
                return self._new(st, phrase.start, phrase.end, label, etype)
        if tok.lemma_.lower() in {"people", "person"} and tok.tag_ == "NNS":
            return self._new(st, tok.i, tok.i + 1, "GROUP", EntityType.GROUP)  # "trafficked people"
        if is_object and tok.pos_ == "NOUN" and tok.lemma_.lower() in self.posts and (
            frame.fallback_type or PEOPLE_TYPES & frame.object_types
        ):
            phrase = noun_phrase(tok)  # "sanctions on ... its chairman", "arrested two officials": people
            if tok.tag_ == "NNS":
                return self._new(st, phrase.start, phrase.end, "GROUP", EntityType.GROUP)
            return self._new(st, phrase.start, phrase.end, "NOMINAL", EntityType.PERSON)
        if is_object and frame.fallback_type and tok.pos_ == "NOUN" and (
            frame.fallback_type != EntityType.GROUP.value or tok.tag_ == "NNS"
        ):
            phrase = noun_phrase(tok)
            etype = EntityType(frame.fallback_type)
            return self._new(st, phrase.start, phrase.end, "NOMINAL" if etype is EntityType.PERSON else etype.value.upper(), etype)
        if is_object and frame.topic_object and tok.pos_ == "NOUN":
            phrase = noun_phrase(tok)
            return self._new(st, phrase.start, phrase.end, "TOPIC", EntityType.TOPIC)
        return None

    # -- roles -----------------------------------------------------------------------------
    def role_tokens(self, trigger: Token, role: str, frame: Frame) -> list[Token]:
        passive = is_passive(trigger) if trigger.pos_ in {"VERB", "AUX"} else False
        if role == "head-agent":  # "arrested 792 suspects in a raid on ...": the arrester raided
            if trigger.dep_ == "pobj" and trigger.head.dep_ == "prep" and trigger.head.lower_ in {"in", "during", "after", "following"}:
                verb = trigger.head.head
                if verb.pos_ == "VERB" and not is_passive(verb):
                    subj = subject_of(verb)
                    return [subj] if subj is not None else []
            return []
        if role == "agent":
            if trigger.pos_ == "NOUN":
                return []
            if passive:
                return preps(trigger, {"by"})
            subj = subject_of(trigger)
            return [subj] if subj is not None else []
        if role == "patient":
            if passive:
                subj = subject_of(trigger)
                return [subj] if subj is not None else []
            return [c for c in trigger.children if c.dep_ in {"dobj", "obj"}]
        if role.startswith("prep:"):
            names = set(role[5:].split("|"))
            found = preps(trigger, names)
            # also on the object: "imposed sanctions on X", "the closure of its border with X"
            for c in trigger.children:
                if c.dep_ in {"dobj", "pobj"} or (c.dep_ == "prep" and c.lower_ == "of"):
                    found.extend(preps(c, names))
                    for p in c.children:
                        if p.dep_ == "pobj":
                            found.extend(preps(p, names))
            return found
        if role.startswith("head-prep:"):  # "survivors from Indonesia who were trafficked to ...": on the noun
            if trigger.dep_ in {"relcl", "acl"} and trigger.head.pos_ in {"NOUN", "PROPN"}:
                return preps(trigger.head, set(role[10:].split("|")))
            return []
        if role.startswith("verb:"):  # "lured using deceptive tactics"
            names = set(role[5:].split("|"))
            return [o for c in trigger.children if c.dep_ in {"advcl", "xcomp", "acl", "prep", "pcomp"}
                    and c.lemma_.lower() in names for o in c.children if o.dep_ == "dobj"]
        if role == "xcomp":
            for c in trigger.children:
                if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"}:
                    return [c]
                if c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                    return [c]  # "were made to run scams" parsed as a purpose clause
            return []
        if role == "appos":  # "the casino's owner, Zhao Wei", "Zhao Wei, the chairman of ..."
            out = [c for c in trigger.children if c.dep_ == "appos"]
            if trigger.dep_ == "appos":
                out.append(trigger.head)
            return out
        if role == "poss":
            out = []
            for c in trigger.children:
                if c.dep_ in {"poss", "compound"} and c.i < trigger.i:
                    out.append(c)
            of = [c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "of"]
            for p in of:
                for o in p.children:
                    out.extend(x for x in o.children if x.dep_ == "poss")
            return out
        return []

    def _xcomp_objects(self, st: DocState, verb: Token) -> list[Span]:
        """What an infinitive complement does, with coordinated objects ("online fraud or
        gambling")."""
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        first = self._xcomp_object(st, verb)
        out = [first] if first is not None else []
        if obj is not None and first is not None and first.root.i == obj.i:
            for conj in obj.conjuncts:
                m = st.by_token.get(conj.i)
                if m is None or m.root.i != conj.i:
                    phrase = noun_phrase(conj)
                    m = self._new(st, phrase.start, phrase.end, "TOPIC", EntityType.TOPIC)
                out.append(m)
        return out

    def _xcomp_object(self, st: DocState, verb: Token) -> Span | None:
        """What an infinitive complement does: its object after a light verb, else the verb
        phrase itself ("defraud people") as a Topic."""
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None:
            for p in verb.children:
                if p.dep_ == "prep" and verb.lemma_.lower() in LIGHT_VERBS | {"work"}:
                    obj = next((c for c in p.children if c.dep_ == "pobj"), None)
                    break
        if obj is not None and (verb.lemma_.lower() in LIGHT_VERBS or obj.dep_ == "pobj"):
            phrase = noun_phrase(obj)
            existing = st.by_token.get(obj.i)
            if existing is not None and existing.root.i == obj.i:
                return existing
            return self._new(st, phrase.start, phrase.end, "TOPIC", EntityType.TOPIC)
        end = verb.i + 1
        for c in verb.rights:
            if c.dep_ in {"dobj", "prt", "attr", "acomp"}:
                end = max(end, noun_phrase(c).end if c.dep_ == "dobj" else c.i + 1)
        if end - verb.i > 6:
            return None
        return self._new(st, verb.i, end, "TOPIC", EntityType.TOPIC)

    def _location_of(self, st: DocState, facility: Span) -> list[Span]:
        """Places a generic facility is said to be in: "a compound in Phnom Penh"."""
        if facility._.ng_type != EntityType.FACILITY.value or facility.label_ not in {"FACILITY", "NOMINAL"}:
            return []
        out = []
        for p in with_conjuncts(preps(facility.root, {"in", "inside", "within"})):
            m = st.by_token.get(p.i)
            if m is not None and m._.ng_type in {EntityType.COUNTRY.value, EntityType.PLACE.value}:
                out.append(m)
        return out

    def _clause_mentions(self, st: DocState, trigger: Token, types: set[str]) -> list[Span]:
        head = trigger.head if trigger.dep_ in {"nsubj", "nsubjpass"} else trigger if trigger.dep_ == "ROOT" else None
        if trigger.dep_ == "pobj" and trigger.head.lower_ == "in" and trigger.head.head.pos_ == "VERB":
            head = trigger.head.head  # "X said in a report that ... Cambodia"
        if head is None:
            return []
        seen: list[Span] = []
        for t in head.subtree:
            m = st.by_token.get(t.i)
            if m is not None and m._.ng_type in types and m not in seen and not origin_of_noun(m.root):
                seen.append(m)
        return seen

    def args(self, st: DocState, trigger: Token, frame: Frame, roles: tuple[str, ...], is_object: bool) -> list[Span]:
        """Mentions filling the first of ``roles`` that yields any of the allowed types."""
        types = frame.object_types if is_object else frame.subject_types
        for role in roles:
            if role.startswith("clause:"):
                found = self._clause_mentions(st, trigger, set(role[7:].split("|")))
                if found:
                    return found
                continue
            toks = self.role_tokens(trigger, role, frame)
            if role == "xcomp":
                spans = [s for t in toks for s in self._xcomp_objects(st, t)]
            else:
                spans = []
                for t in with_conjuncts(toks):
                    found = self._countries_of(st, t) if frame.metonymy else []
                    for m in found or [self.mention(st, t, frame, is_object)]:
                        if m is not None and m not in spans:
                            spans.append(m)
            spans = [s for s in spans if not types or s._.ng_type in types or s.label_ in {"PRON", "NOMINAL"}]
            if role == "appos":  # a role noun's apposition counts only when it is a name
                spans = [s for s in spans if s.label_ in NAMED_LABELS]
            if EntityType.GROUP.value in types and EntityType.ORGANIZATION.value not in types:
                for s in spans:  # "The group had been lured ...": people, not an organisation
                    if s.label_ == "NOMINAL" and s.root.lemma_.lower() in PEOPLE_COLLECTIVES:
                        s._.ng_type = EntityType.GROUP.value
            if spans:
                return spans
        return []

    def _matches(self, tok: Token, frame: Frame) -> bool:
        if frame.pos == "VERB" and tok.pos_ not in {"VERB", "AUX"}:
            return False
        if frame.pos == "NOUN" and tok.pos_ not in {"NOUN", "PROPN"}:
            return False
        if frame.voice != "any" and (frame.voice == "passive") != is_passive(tok):
            return False
        if frame.particle and not any(c.dep_ in {"prt", "advmod"} and c.lower_ in frame.particle for c in tok.children):
            return False
        if frame.requires_prep and not any(c.dep_ == "prep" and c.lower_ in frame.requires_prep for c in tok.children):
            return False
        if frame.patient_lemmas or frame.exclude_patient_lemmas:
            patients = self.role_tokens(tok, "patient", frame)
            if not patients and frame.pos == "NOUN":
                patients = [o for p in tok.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children]
            lemmas = {p.lemma_.lower() for p in patients}
            if frame.patient_lemmas and not lemmas & frame.patient_lemmas:
                return False
            if lemmas & frame.exclude_patient_lemmas:
                return False
        return True

    def __call__(self, doc: Doc) -> Doc:
        st = DocState.of(doc)

        def speaker(tok: Token) -> Span | None:  # who a statement or figure is attributed to
            return self.mention(st, tok, SOURCE_FRAME, False)

        claims: list[SpanClaim] = []
        seen: set[tuple[int, int, str, int, int]] = set()
        for sent in doc.sents:
            if sum(1 for t in sent if t.text.startswith("#")) >= 2:
                continue  # hashtag lines
            for tok in sent:
                frames = self.index.get((tok.lemma_.lower(), "VERB" if tok.pos_ in {"VERB", "AUX"} else "NOUN"))
                if not frames:
                    continue
                negated, hedged = modality(tok)
                source = source_of(tok, speaker) if self.attribution else None
                for frame in frames:
                    if not self._matches(tok, frame):
                        continue
                    subjects = self.args(st, tok, frame, frame.subject, False)
                    if not subjects:
                        continue
                    objects = self.args(st, tok, frame, frame.object, True)
                    if frame.expand_location:
                        objects = objects + [p for o in objects for p in self._location_of(st, o) if p not in objects]
                    elif any(o._.ng_type == EntityType.FACILITY.value for o in objects):
                        # "held in compounds in Sihanoukville" (second "in" parsed onto the verb): the
                        # compound is the place of confinement, the town only where the compound is
                        objects = [o for o in objects if o._.ng_type not in PLACE_TYPES]
                    if frame.places_only:  # "trafficked from compounds in Myanmar": Myanmar, not "compounds"
                        objects = [o for o in objects if not _generic_facility(o)]
                    pairs = [(s, o) for s in subjects for o in objects]
                    if frame.mutual and not objects and len(subjects) >= 2:
                        # "Thailand and Laos agreed to cooperate": each with the other, both ways
                        pairs = [(s, o) for s in subjects for o in subjects if s is not o]
                    for s, o in pairs:
                        if s.root.i == o.root.i:
                            continue
                        key = (s.start, s.end, frame.relation, o.start, o.end)
                        if key in seen:
                            continue
                        seen.add(key)
                        claims.append(
                            SpanClaim(s, frame.relation, o, sent, frame.confidence, frame.extractor,
                                      negated=negated, hedged=hedged, source=source if source is not s else None)
                        )
            if self.attribution:
                claims.extend(estimates(sent, speaker))
        if st.added:
            doc.spans[MENTIONS_KEY] = sorted(
                list(doc.spans.get(MENTIONS_KEY, [])) + st.added, key=lambda s: (s.start, s.end)
            )
        doc._.ng_claims = list(doc._.ng_claims or []) + claims
        return doc


@Language.factory(
    "newsgraph_relations",
    requires=["doc.spans", "token.dep", "token.lemma"],
    assigns=["doc._.ng_claims"],
    default_config={"rules_files": [], "attribution": True},
)
def make_relations(nlp: Language, name: str, rules_files: list[str], attribution: bool) -> RelationFinder:
    """Frame engine; ``rules_files`` are the user's rules files (see ``graph.rules``)."""
    tagger = None
    for _, comp in nlp.pipeline:
        if isinstance(comp, EntityTagger):
            tagger = comp
    rules = load_rules(rules_files)
    return RelationFinder(load_frames(rules), tagger, attribution, rules)
