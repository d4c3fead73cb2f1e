"""Attribution, negation and hedging of claims, and ``estimates`` of quantities.

``source_of`` finds who a statement is attributed to ("X said ...", "..., X found",
"according to X"); ``modality`` tells whether a trigger is negated ("not", "never",
"denied that", "failed to") or hedged (modal verbs, "allegedly", "if", "urged ... to");
``estimates`` links a quantity with its noun ("45 more suspicious locations") to the
source that gives the figure.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from graph.extract.doc import QUANTITIES_KEY, SpanClaim
from graph.extract.entities import MAGNITUDES
from graph.extract.syntax import is_passive, preps, subject_of
from graph.rules import default_rules

#: the mention a token names as a possible source (the frame engine's look-up, which can
#: make a new mention for a pronoun or a description), or None
Speaker = Callable[[Token], Span | None]

SAY = {"say", "tell", "add", "state", "claim", "allege", "report", "write", "note", "find", "conclude",
       "announce", "insist", "argue", "warn", "explain", "reveal", "show", "indicate", "estimate",
       "confirm", "believe", "suggest", "assert", "contend", "testify", "recount", "describe"}
ESTIMATE_VERBS = {"identify", "find", "estimate", "count", "record", "document", "confirm", "tally",
                  "put", "register", "detect", "list", "locate", "map", "uncover", "discover", "interview",
                  "survey"}
# Whom a source spoke to is a figure it gives: "spoke to 12 survivors", "interviews with 423 victims",
# "the cases of 85 survivors" (the source: the speaker, the interviews' owner, or what rests on them).
CONTACT_VERBS = {"speak", "talk", "interview", "survey", "consult"}
EVIDENCE_NOUNS = {"interview", "conversation", "testimony", "account", "case", "survey", "consultation"}
RESTS_ON = {"base", "draw", "rely", "build", "rest"}
NEG_GOVERNORS = {"deny", "refuse", "fail", "decline", "reject", "dismiss"}
HEDGE_GOVERNORS = {"urge", "call", "ask", "demand", "press", "want", "plan", "seek", "threaten",
                   "propose", "aim", "try", "attempt", "hope", "expect", "need", "allege", "suspect",
                   "appear", "seem", "intend", "promise", "pledge", "vow", "recommend", "encourage",
                   "request", "wish", "consider", "order", "fear"}
FUTURE = {"will", "would", "wo", "'ll", "shall"}
MODALS = {"could", "may", "might", "would", "should", "must", "ought", "will", "shall", "wo", "'ll"}
HEDGE_ADVERBS = {"allegedly", "reportedly", "possibly", "apparently", "purportedly", "likely",
                 "probably", "perhaps", "maybe", "supposedly", "potentially"}
SOURCE_TYPES = {"Organization", "Person", "Country", "Group", "CreativeWork"}
AUTHORITIES = {"police", "authority", "official", "officer", "troop", "soldier", "investigator", "prosecutor",
               "government", "ministry", "agency", "army", "military", "junta", "court"}
NUMBER_WORDS = default_rules().words("quantifiers", "numbers")  # graph/rules/words.toml
NOT_COUNTED = {"year", "month", "week", "day", "hour", "minute", "time", "age", "percent", "am", "pm"}


def _reported(tok: Token) -> bool:
    """Whether a trigger heads (or is conjoined to) a clause reported by a say verb: there
    "will"/"would" is the reported future of an announcement ("Indonesia said it would
    repatriate its citizens"), not speculation."""
    cur = tok
    for _ in range(3):
        if cur.dep_ != "conj" or cur.head is cur:
            break
        cur = cur.head
    return cur.dep_ == "ccomp" and cur.head.lemma_.lower() in SAY


def modality(tok: Token) -> tuple[bool, bool]:
    """(negated, hedged) of a trigger word, looking at it and the clauses above it."""
    negated = hedged = False
    for c in tok.children:
        if c.dep_ == "neg" or c.lower_ in {"never", "no"} and c.dep_ in {"advmod", "neg", "det"}:
            negated = True
        if c.dep_ == "aux" and c.lower_ in MODALS and not (c.lower_ in FUTURE and _reported(tok)):
            hedged = True
        if c.dep_ == "advmod" and c.lower_ in HEDGE_ADVERBS:
            hedged = True
        if c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether", "until"}:
            hedged = True
        if c.dep_ in {"nsubj", "nsubjpass", "dobj"} and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children):
            negated = True
    cur = tok
    for _ in range(6):
        dep = cur.dep_
        if dep not in {"xcomp", "ccomp", "conj", "advcl", "pcomp", "pobj", "prep"} or cur.head is cur:
            break
        head = cur.head
        lemma = head.lemma_.lower()
        if dep in {"xcomp", "ccomp", "pcomp", "pobj", "prep"}:
            if lemma in NEG_GOVERNORS:
                negated = True
            if lemma in HEDGE_GOVERNORS:
                hedged = True
            if dep == "xcomp" and any(c.dep_ == "neg" for c in head.children):
                negated = True
        if dep == "advcl" and any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in cur.children):
            hedged = True
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in head.children) and dep in {"xcomp", "conj"}:
            hedged = True
        cur = head
    return negated, hedged


def _according_to(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "according":
            for to in c.children:
                if to.lower_ == "to":
                    return next((p for p in to.children if p.dep_ == "pobj"), None)
    return None


def source_of(tok: Token, speaker_of: Speaker) -> Span | None:
    """The speaker a statement containing ``tok`` is attributed to, if any."""
    hit = attributed(tok, speaker_of)
    return hit[0] if hit else None


def attributed(tok: Token, speaker_of: Speaker) -> tuple[Span, str] | None:
    """(speaker mention, how) for the clause of ``tok``: "said", "according-to"."""
    cur = tok
    for _ in range(10):
        acc = _according_to(cur)
        if acc is not None:
            m = speaker_of(acc)
            if m is not None and m._.ng_type in SOURCE_TYPES:
                return m, "according-to"
        head = cur.head
        if cur.dep_ in {"ccomp", "parataxis"} and head.lemma_.lower() in SAY:
            subj = subject_of(head)
            if subj is not None:
                m = speaker_of(subj)
                if m is not None and (m._.ng_type in SOURCE_TYPES or m.label_ in {"PRON", "NOMINAL"}):
                    return m, "said"
        if head is cur:
            break
        cur = head
    return None


def estimates(sent: Span, speaker_of: Speaker) -> list[SpanClaim]:
    """``estimates`` claims: source -> the quantity literal with its noun."""
    out: list[SpanClaim] = []
    for q in sent.doc.spans.get(QUANTITIES_KEY, []):
        if q.start < sent.start or q.end > sent.end:
            continue
        root = q.root
        if root.lemma_.lower() in NOT_COUNTED or any(t.lower_ in {"year", "years", "-year", "old"} for t in q):
            continue
        if any(t.tag_ == "HYPH" and not (0 < t.i < len(t.doc) - 1 and t.nbor(-1).tag_ == t.nbor(1).tag_ == "CD") for t in q):
            continue  # "billion-dollar industry", "16-year-old": adjectives, not figures
        if q.label_ not in {"MONEY", "PERCENT"}:
            numbers = [t for t in q if t.like_num or t.tag_ == "CD" or t.lower_ in NUMBER_WORDS]
            if q[-1].pos_ not in {"NOUN", "PROPN"} or q[-1] in numbers or not numbers:
                continue  # a bare number ("hundreds", "14") counts nothing we can name
            if all(t.lower_ in {"one", "zero", "a"} for t in numbers):
                continue
        speaker: Span | None = None
        how = ""
        cur = root
        for _ in range(4):  # "Amnesty identified 45 more suspicious locations"
            if cur.dep_ in {"dobj", "conj"} and cur.head.lemma_.lower() in ESTIMATE_VERBS:
                subj = subject_of(cur.head)
                if subj is not None:
                    speaker = speaker_of(subj)
                    how = "estimate-verb"
                break
            if cur.dep_ != "conj":
                break
            cur = cur.head
        if speaker is None:
            speaker = _interviewer(root, speaker_of)
            how = "interview" if speaker is not None else ""
        if speaker is None:
            hit = attributed(root, speaker_of)
            if hit is not None:
                speaker, how = hit
        if speaker is None:
            speaker = _passive_agent(root, speaker_of)
            how = "passive-agent" if speaker is not None else ""
        if speaker is None and root.dep_ == "dobj" and root.head.pos_ == "VERB":
            # "Police arrested 12 Chinese managers": an authority reporting its own figure
            subj = subject_of(root.head)
            m = speaker_of(subj) if subj is not None else None
            if m is not None and (
                m._.ng_type in {"Organization", "Country"} or m.root.lemma_.lower() in AUTHORITIES
            ):
                speaker, how = m, "reported-figure"
        if speaker is None or not (speaker._.ng_type in SOURCE_TYPES or speaker.label_ in {"PRON", "NOMINAL"}):
            continue
        if (how == "passive-agent" or how in {"reported-figure", "said", "according-to"}
                and root.dep_ not in {"nsubj", "nsubjpass"}) and all(
            t.lower_ in MAGNITUDES for t in q if t.like_num or t.tag_ == "CD" or t.lower_ in NUMBER_WORDS | MAGNITUDES
        ):
            continue  # "repatriated hundreds of its nationals": a vague count of what was done, no estimate
        conf = {"estimate-verb": 0.7, "according-to": 0.7, "interview": 0.65, "said": 0.55, "reported-figure": 0.45,
                "passive-agent": 0.45}[how]
        out.append(SpanClaim(speaker, "estimates", " ".join(q.text.split()), sent, conf, f"attribution:{how}"))
    return out


def _interviewer(root: Token, speaker_of: Speaker) -> Span | None:
    """Who spoke to the people a figure counts: "Reuters spoke to 12 survivors", "Amnesty's
    interviews with 423 victims", "The Amnesty report, based on interviews with 423 victims",
    "IJM documents the cases of 85 survivors"."""
    prep = root.head
    if root.dep_ != "pobj" or prep.dep_ != "prep":
        return None
    owner = prep.head
    lemma = owner.lemma_.lower()
    subj: Token | None = None
    if owner.pos_ in {"VERB", "AUX"} and lemma in CONTACT_VERBS and prep.lower_ in {"to", "with"}:
        subj = None if is_passive(owner) else subject_of(owner)
    elif owner.pos_ == "NOUN" and lemma in EVIDENCE_NOUNS and prep.lower_ in {"with", "of", "from"}:
        subj = next((c for c in owner.children if c.dep_ in {"poss", "compound"} and c.i < owner.i), None)
        if subj is None and owner.dep_ in {"dobj", "conj"} and owner.head.pos_ == "VERB":
            subj = subject_of(owner.head)  # "conducted interviews with", "documents the cases of"
        elif subj is None and owner.dep_ == "pobj" and owner.head.lower_ in {"on", "upon", "from"}:
            verb = owner.head.head
            if verb.lemma_.lower() in RESTS_ON:
                subj = subject_of(verb)  # "the report, which is based on interviews with"
    if subj is None:
        return None
    return speaker_of(subj)


def _passive_agent(root: Token, speaker_of: Speaker) -> Span | None:
    """An authority stating what it did to a counted group: "260 people were rescued by Thai
    police", "300 foreigners freed by the army"."""
    if root.dep_ == "nsubjpass":
        verbs = [root.head]
    else:
        verbs = [c for c in root.children if c.dep_ == "acl" and c.tag_ == "VBN"]
    for verb in verbs:
        if verb.pos_ not in {"VERB", "AUX"} or not is_passive(verb):
            continue
        for agent in preps(verb, {"by"}):
            m = speaker_of(agent)
            if m is not None and (m._.ng_type in {"Organization", "Country"} or m.root.lemma_.lower() in AUTHORITIES):
                return m
    return None
