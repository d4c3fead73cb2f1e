"""Resolve: group a document's mentions into entities with deterministic keys.

``resolve(extraction)`` (or ``Resolver().resolve``) resolves one document on its own. The
modules, in the order a document meets them:

- ``resolver``: the ``Resolver``, its ordered ``PASSES`` and ``assemble`` (the output);
- ``items``: the working records the passes share (one ``Item`` per mention);
- ``classify``: the first pass, what each mention is on its own;
- ``references``: the last pass, pronouns and descriptions to their antecedents, over
  ``coref`` (the antecedent chain and its rules);
- ``aliases`` (names, titles, acronyms, group words) and ``linking`` (ISO 3166, GeoNames):
  string and table look-ups the passes call.
"""

from __future__ import annotations

from graph.resolve.resolver import PASSES, Resolver, resolve

__all__ = ["PASSES", "Resolver", "resolve"]
