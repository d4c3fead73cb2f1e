"""The Resolver: a document's mentions -> entities with deterministic keys, by ordered passes.

Keys are what the rdf stage mints IRIs from, so the same entity gets the same IRI in every
document and every run:

- countries ``"Country/KH"`` (ISO 3166 alpha-2; names, demonyms and government metonyms
  such as "the Cambodian government" or a capital speaking, "Phnom Penh said");
- linked places ``"Place/geonames:1821306"`` or ``"Place/iso3166-2:TH-63"``;
- generic groups and unnamed facilities are one node per document,
  ``"Group/<doc id>/victim"``; topics ``"Topic/online fraud"``;
- everything else ``"<Type>/<normalised name>"``, with short forms, acronyms and
  surnames resolved to the full name seen in the document, titles stripped into
  ``Entity.roles`` and pronouns / definite descriptions resolved to the nearest
  compatible antecedent.

A document is resolved on its own: the Resolver keeps nothing between documents, so a
document's graph never depends on which other documents were built with it, in which
order, by how many workers or on which machines. That is what makes rebuilds
byte-identical and lets a build run in parallel or on a cluster.

``PASSES`` lists the passes in the order they run; each reads and fills the ``Work`` of
one document (``graph.resolve.items``) and says in its docstring what it does and why it
runs where it does. ``assemble`` then turns the keyed items into a ``ResolvedDocument``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from graph.model import Claim, Entity, EntityType, Extraction, Mention, ResolvedDocument
from graph.resolve import aliases as al
from graph.resolve import coref, linking
from graph.resolve.classify import classify_mentions
from graph.resolve.items import APPOSITION, Item, Work, make_country, make_place, preceding, type_of
from graph.resolve.references import resolve_references

log = logging.getLogger("newsgraph")

#: one step of resolution: reads and updates a document's ``Work`` in place
Pass = Callable[[Work], None]


# ---------------------------------------------------------------------------- the passes, in order


def mark_modifiers(work: Work) -> None:
    """Flag mentions inside a longer mention ("London" of "the London-based group",
    "Thai" of "a Thai survivor"): modifiers, not what a later "it" or "the city" means.
    A possessive owner ("Myanmar's military government") is no modifier: it is what the
    phrase is about, and pronoun salience treats possessives already; nor is the author
    naming a work ("the Amnesty report ... what it calls"), who speaks for it."""
    text = work.text
    end = -1
    outer: Item | None = None
    for it in sorted(work.items, key=lambda i: (i.mention.start, -i.mention.end)):
        m = it.mention
        if m.end <= end and text[m.end : m.end + 1] not in ("'", "’"):
            authored = (outer is not None and outer.type in (EntityType.TOPIC, EntityType.WORK)
                        and it.type is EntityType.ORGANIZATION and m.start == outer.mention.start)
            it.modifier = not authored
        if m.end > end:
            end, outer = m.end, it


def named_descriptions(work: Work) -> None:
    """A description led by a person's or organisation's name ("the Trump administration")
    names something of its own; it does not refer back to the nearest country.

    Before the naming passes, so such a description is keyed as a name."""
    items = work.items
    names = {
        w for it in items if it.kind == "named" and it.type in (EntityType.PERSON, EntityType.ORGANIZATION)
        for w in it.name.split() if w[:1].isupper()
    }
    for it in items:
        if it.kind == "nominal" and any(w in names for w in it.name.split()[:-1]):
            it.kind = "named"
            if it.type in (EntityType.THING, EntityType.COUNTRY, EntityType.PLACE):
                it.type = EntityType.ORGANIZATION


def apposed_people(work: Work) -> None:
    """"Lim Bun Heng, a Cambodian-Chinese tycoon": a name apposed to a description of a
    person is a person, whatever the tagger said (and so are its short forms).

    Before ``key_persons``, so the retyped name is keyed (and joined) as a person."""
    items, text = work.items, work.text
    ordered = sorted(items, key=lambda i: (i.mention.start, i.mention.end))
    starts = [i.mention.start for i in ordered]
    people: set[str] = set()
    for it in ordered:
        if it.kind != "nominal" or coref.NOMINAL_TYPES.get(coref.nominal_head(it.name)) != (EntityType.PERSON,):
            continue
        prev = preceding(ordered, it.mention.start, starts)
        if prev is None:
            continue
        if prev.kind == "named" and prev.key is None and prev.type in (EntityType.ORGANIZATION, EntityType.THING) \
                and len(prev.name.split()) >= 2 and APPOSITION.fullmatch(text[prev.mention.end : it.mention.start]):
            prev.type = EntityType.PERSON
            people.add(al.name_key(prev.name))
            people.update(al.name_key(prev.name).split())
    for it in items:
        key = al.name_key(it.name)
        if it.kind == "named" and it.key is None and it.type is EntityType.ORGANIZATION and key in people and (
            len(key.split()) == 1 or key in people
        ):
            it.type = EntityType.PERSON


def link_places(work: Work) -> None:
    """Named places link to GeoNames or ISO 3166-2, preferring a place in a country the
    document names; a capital that speaks ("Phnom Penh said") becomes its country.

    After classification, which keys the document's countries: they are the context that
    picks among places sharing a name."""
    context = {it.key.split("/", 1)[1] for it in work.items if it.key and it.key.startswith("Country/")}
    for it in work.items:
        if it.kind == "named" and it.key is None and it.type is EntityType.PLACE:
            _link_place(it, context, work.countries)


def _link_place(item: Item, context: set[str], countries: linking.Countries) -> None:
    place = linking.link_place(item.name, frozenset(context))
    if item.retyped and item.capital_of not in context:
        item.type, item.capital_of = item.mention.type, None
        return
    if item.capital_of and (place is None or place.country == item.capital_of or item.capital_of in context):
        make_country(item, item.capital_of, countries)  # "Phnom Penh said" = the government of Cambodia
        return
    if place is None:
        gid = item.links.get("geonames")
        if gid and gid.isdigit():
            item.key = f"Place/geonames:{gid}"
        return
    make_place(item, place)


def key_persons(work: Work) -> None:
    """Full names key persons; a lone surname or given name joins the nearest full name
    of the document that contains it (earlier in the document first), else stands alone.
    A lone name that starts an organisation's name ("Amnesty") is that organisation.

    Before ``key_organisations``, which then sees the names retyped here."""
    items = work.items
    persons = [it for it in items if it.kind == "named" and it.type is EntityType.PERSON and it.key is None]
    full = [it for it in persons if len(al.name_key(it.name).split()) >= 2]
    for it in full:
        it.key = f"Person/{al.name_key(it.name)}"
    org_names = [al.name_key(o.name) for o in items if o.type is EntityType.ORGANIZATION and o.kind == "named"]
    for it in persons:
        if it.key is not None:
            continue
        token = al.name_key(it.name)
        if not token:
            continue
        if any(o.startswith(token + " ") for o in org_names):
            it.type = EntityType.ORGANIZATION  # "Amnesty" mistyped as a person
            continue
        hits = [f for f in full if token in al.name_key(f.name).split()]
        before = [f for f in hits if f.mention.start < it.mention.start]
        if before:
            # several people share the name: the one named most often, then first ("Mr Lim"
            # is the tycoon, not the nephew named once later)
            counts: dict[str, int] = {}
            for f in before:
                counts[f.key or ""] = counts.get(f.key or "", 0) + 1
            it.key = min(before, key=lambda f: (-counts[f.key or ""], f.mention.start)).key
        elif hits:
            it.key = hits[0].key
        else:
            it.key = f"Person/{token}"


def key_organisations(work: Work) -> None:
    """Acronyms and short forms of organisations join their full name in the document
    ("UN", "UNODC" by initials or the rules' acronyms; "Amnesty"; "Treasury" for "US Treasury")."""
    orgs = [it for it in work.items if it.kind == "named" and it.type is EntityType.ORGANIZATION and it.key is None]
    acronyms = work.acronyms
    for it in orgs:
        full = acronyms.get(it.name) or acronyms.get(it.mention.text.strip())
        if full:
            it.name = full
    longs = sorted({al.name_key(it.name): it.name for it in orgs if len(al.name_key(it.name).split()) >= 2}.items())
    for it in orgs:
        key = al.name_key(it.name)
        if not key:
            continue  # punctuation only: no name, no entity
        target = key
        if len(key.split()) < 2 or al.looks_like_acronym(it.name):
            bare = it.name.replace(".", "")
            cands = [k for k, name in longs if k != key and (k.startswith(key + " ") or (
                al.looks_like_acronym(it.name) and al.initials(name) == bare))]
            if not cands and len(key.split()) == 1:  # "Treasury" for "US Treasury"
                cands = [k for k, _ in longs if k.endswith(" " + key) and len(k.split()) == 2]
            if len(cands) == 1:
                target = cands[0]
            elif len(cands) > 1:
                # several expansions: the one written nearest before this mention
                earlier = [o for o in orgs if al.name_key(o.name) in cands and o.mention.start < it.mention.start]
                target = al.name_key(earlier[-1].name) if earlier else key
        it.key = f"Organization/{target}"


def key_the_rest(work: Work) -> None:
    """Every other name keys by its type and folded name; generic groups and facilities
    are one node per document (``Group/<doc id>/victim``), topics are shared
    (``Topic/online fraud``). A name that folds to nothing gets no entity."""
    for it in work.items:
        if it.key is None and it.kind in ("named", "generic") and al.name_key(it.name):
            it.key = _plain_key(it, work.doc_id)


def _plain_key(it: Item, doc_id: str) -> str:
    if it.kind == "generic":
        folded = al.group_key(it.name) or al.name_key(it.name)
        if it.type is EntityType.TOPIC:
            return f"Topic/{folded}"
        return f"{it.type.value}/{doc_id}/{folded}"
    return f"{it.type.value}/{al.name_key(it.name)}"


def split_counted_groups(work: Work) -> None:
    """Groups counted differently are different groups ("at least 2,000 people" held in the
    zone, "771 people" detained in raids): when one document gives the same group words
    two different counts, each count gets its own key; an uncounted mention of those
    words joins the counted group written nearest before it (the first one if none is).

    After ``key_the_rest``, which gave all of them the one key this pass splits."""
    text = work.text
    by_key: dict[str, list[Item]] = {}
    for it in sorted(work.items, key=lambda i: (i.mention.start, i.mention.end)):
        if it.kind == "generic" and it.type is EntityType.GROUP and it.key:
            by_key.setdefault(it.key, []).append(it)
    for key, group in by_key.items():
        counts = [al.count_before(text, it.mention.start) for it in group]
        if len({c[0] for c in counts if c}) < 2:
            continue  # one count or none: "the victims" ... "the victims" stay one group
        prefix, folded = key.rsplit("/", 1)
        current = next(c for c in counts if c)
        for it, c in zip(group, counts, strict=True):
            current = c or current
            it.key = f"{prefix}/{current[0]} {folded}"
            it.count = current[1]


def join_bare_generics(work: Work) -> None:
    """A bare head noun ("the workers", "compounds") refers back to the nearest preceding
    group or facility of the document with that head ("migrant workers", "scam compounds").

    After ``split_counted_groups``, so it joins the counted group it follows."""
    last: dict[tuple[EntityType, str], str] = {}
    for it in sorted(work.items, key=lambda i: (i.mention.start, i.mention.end)):
        if it.kind != "generic" or it.key is None or it.type is EntityType.TOPIC:
            continue
        words = it.key.rsplit("/", 1)[-1].split()
        if len(words) == 1 and (it.type, words[0]) in last:
            it.key = last[(it.type, words[0])]
        elif len(words) > 1:
            last[(it.type, words[-1])] = it.key


def attach_nationalities(work: Work) -> None:
    """Attach to each mention the countries its ``nationality`` claims name ("a Chinese child",
    "a boy from China"): part of what describes it when descriptions are compared.

    Before ``resolve_references``, which compares those descriptions."""
    by_span = {it.mention.span: it for it in work.items}
    for c in work.extraction.claims:
        if c.relation != "nationality" or not isinstance(c.obj, Mention):
            continue
        subject, obj = by_span.get(c.subject.span), by_span.get(c.obj.span)
        if subject is not None and obj is not None and obj.key and obj.key.startswith("Country/"):
            subject.nationalities |= {obj.key.split("/", 1)[1]}


#: the passes in the order they run (each docstring says why it runs where it does)
PASSES: tuple[Pass, ...] = (
    classify_mentions,  # one item per mention: pronoun, description, generic or name; countries keyed
    mark_modifiers,  # "London" of "the London-based group" is no antecedent
    named_descriptions,  # "the Trump administration" is a name, not a description
    apposed_people,  # "Lim Bun Heng, a ... tycoon" is a person
    link_places,  # GeoNames / ISO 3166-2; "Phnom Penh said" is Cambodia
    key_persons,  # full names; surnames join them
    key_organisations,  # acronyms and short forms join full names
    key_the_rest,  # <Type>/<name>, generic groups per document, topics shared
    split_counted_groups,  # "2,000 people" and "771 people" are two groups
    join_bare_generics,  # "the workers" are the "migrant workers"
    attach_nationalities,  # what nationality claims say, for comparing descriptions
    resolve_references,  # pronouns and descriptions -> antecedents
)


# ---------------------------------------------------------------------------- output


def assemble(work: Work) -> ResolvedDocument:
    """Entities from the keyed items (label, aliases, roles, links, coordinates) and the
    claims whose subject and object both resolved; claims that only a resolution artefact
    makes (an entity related to itself, a country based somewhere, a linked place inside
    another country than its own) are dropped."""
    extraction, items = work.extraction, work.items
    entities: dict[str, Entity] = {}
    forms: dict[str, list[tuple[int, str]]] = {}
    mention_entity: dict[tuple[int, int], str] = {}
    for it in items:
        if it.key is None:
            continue
        mention_entity[it.mention.span] = it.key
        ent = entities.get(it.key)
        if ent is None:
            ent = entities[it.key] = Entity(key=it.key, type=type_of(it.key), label="")
        if it.links:
            ent.links.update({k: v for k, v in it.links.items() if v})
        if it.lat is not None and ent.lat is None:
            ent.lat, ent.long = it.lat, it.long
        ent.roles.update(it.roles)
        if it.label:
            forms.setdefault(it.key, []).append((3, it.label))
        elif it.kind == "generic" and it.type is EntityType.TOPIC:
            # topics are shared across documents: label from the key, so it is one label
            forms.setdefault(it.key, []).append((3, it.key.split("/", 1)[1]))
        if it.kind in ("named", "generic"):
            name = al.group_label(it.name) if it.kind == "generic" else it.name
            if it.count:
                name = f"{it.count} {name}"  # "771 people", not a second "people" node
            if it.kind == "generic" and it.at_start and name[:1].isupper() and name[1:2].islower():
                name = name[0].lower() + name[1:]  # "Victims were ..." -> "victims"
            forms.setdefault(it.key, []).append((2 if al.is_proper(name) else 1, name))
            surfaces = {al.clean_name(it.mention.text)}
            if it.type is not EntityType.COUNTRY:  # not pycountry's formal name as an alias
                surfaces.add(it.name)
            if it.capital_of and it.type is EntityType.COUNTRY:
                surfaces = set()  # "Phnom Penh" said: the city's name is no name of Cambodia
            for surface in surfaces:
                if surface:
                    ent.aliases.add(surface)
        elif it.kind == "introduced":
            forms.setdefault(it.key, []).append((1, al.group_label(it.name)))
        elif it.kind == "nominal" and len(it.name.split()) >= 2:
            ent.aliases.add(it.name)  # "the rights group" (bare "the group" is no name)
    for key, ent in entities.items():
        candidates = forms.get(key) or [(0, key.rsplit("/", 1)[-1])]
        ent.label = min(candidates, key=lambda f: (-f[0], f[1].isupper() and len(f[1]) > 6, -len(f[1].split()), -len(f[1]), f[1]))[1]
        ent.aliases = {a for a in ent.aliases if a and a != ent.label and not coref.is_pronoun(a)}
    countries = {it.key: it.country for it in items if it.key and it.country}
    countries.update({k: k.split("/", 1)[1] for k in entities if k.startswith("Country/")})
    claims: list[Claim] = []
    for c in extraction.claims:
        s = mention_entity.get(c.subject.span)
        o = mention_entity.get(c.obj.span) if isinstance(c.obj, Mention) else "literal"
        if s is None or o is None:
            log.debug("%s: claim %s dropped: unresolved %s", extraction.document.source, c.relation,
                      "subject" if s is None else "object")
            continue
        if s == o:
            continue  # an entity related to itself is a resolution artefact
        if c.relation in ("basedIn", "livesIn", "bornIn") and s.startswith("Country/"):
            continue  # "India's embassy in Phnom Penh" speaks for India, India is not based there
        if c.relation == "locatedIn" and s in countries and o in countries and countries[s] != countries[o]:
            # a linked place lies in the country GeoNames gives it: "London locatedIn Cambodia"
            # comes from a description resolved to the wrong place, not from the sentence
            log.debug("%s: claim %s %s %s dropped: the place lies in %s", extraction.document.source,
                      s, c.relation, o, countries[s])
            continue
        if c.source is not None and c.source.span not in mention_entity:
            c = replace(c, source=None)
        claims.append(c)
    return ResolvedDocument(
        document=extraction.document,
        entities=dict(sorted(entities.items())),
        mention_entity=mention_entity,
        claims=claims,
        mentions=list(extraction.mentions),
    )


# ---------------------------------------------------------------------------- entry points


class Resolver:
    """Resolves one document at a time: runs ``passes`` in order on a fresh ``Work``, then
    ``assemble``. It keeps nothing between documents (see the module docstring), so one
    instance or a new one per document gives the same result."""

    passes: tuple[Pass, ...] = PASSES

    def resolve(self, extraction: Extraction) -> ResolvedDocument:
        work = Work.of(extraction)
        for step in self.passes:
            step(work)
        return assemble(work)


def resolve(extraction: Extraction) -> ResolvedDocument:
    """Resolve one document's mentions (and those in its claims) to entities."""
    return Resolver().resolve(extraction)
