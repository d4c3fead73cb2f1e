"""Structural relation patterns: relations stated by noun-phrase structure, not by verbs.

``newsgraph_structural`` reads the typed mentions in ``doc.spans["ng_mentions"]`` and the
dependency parse, and APPENDS claims to ``doc._.ng_claims`` (it runs after the verb-frame
component ``newsgraph_relations``; a claim already there with the same subject, relation
and object is not added twice).  Each claim's extractor is the literal id of its rule
("structural:person-of-place"); the families, one module each:

* ``people``: titles and roles before a name or in an apposition / copula / "named" phrase
  ("Cambodia's Prime Minister Hun Manet", "Chevron spokesman X", "X, a spokesman for Y",
  "X is a native of Y") -> leads, worksFor, memberOf, livesIn, kills, nationality;
  prepositions and clauses on a name ("X of Dallas", "X, who works for Y");
* ``organisations``: "Y-based <org>", "<org> in Y", "<org>, based in Y", "<org>
  headquarters in Y" (basedIn), "a unit of Y" (partOf), "X's operations in Y" (operatesIn);
* ``places``: "<place> in Y", "Y's <place>", "Myawaddy, Myanmar" (locatedIn), "near / close
  to / on the border with Y" (locatedNear);
* ``datelines``: "BANGKOK, Thailand (AP)", wire headers ("Paris AFP in English");
* ``groups``: nationalities of groups ("Chinese nationals", "Forty-two Kenyans", "workers,
  many of them from Nepal");
* ``events``: nominal kills ("the assassination of Y by X"), homes, births (bornIn);
* ``closure``: claims repeated for the larger place of a comma pair and for names in
  apposition.

``context.Context`` holds one document's state; ``tables.StructuralTables`` the demonyms,
gazetteer places and word lists every rule reads, passed in at construction.  All patterns
are general; confidences reflect how often each pattern is right on news text (measured on
the CoNLL04 dev split with ``benchmarks/conll04.py``).
"""

from __future__ import annotations

from graph.extract.structural.component import StructuralFinder, make_structural
from graph.extract.structural.tables import StructuralTables, Words, load_demonyms

__all__ = ["StructuralFinder", "StructuralTables", "Words", "load_demonyms", "make_structural"]
