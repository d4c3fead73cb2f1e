

def test_one_fact_from_two_mentions_of_one_entity_is_one_statement() -> None:
    """'a Thai woman named Yathada': both mentions resolve to Yathada; nationality is stated once."""
    from rdflib import RDF

    from graph.model import Claim, Document, Entity, EntityType, Mention, ResolvedDocument
    from graph.rdf.build import document_graph
    from graph.rdf.namespaces import NG

    text = "A Thai woman named Yathada told Amnesty her story."
    doc = Document(key="x.txt", text=text, source="x.txt")
    woman = Mention(doc.id, 2, 12, "Thai woman", EntityType.PERSON)
    name = Mention(doc.id, 19, 26, "Yathada", EntityType.PERSON)
    thai = Mention(doc.id, 2, 6, "Thai", EntityType.COUNTRY)
    claims = [Claim(doc.id, woman, "nationality", thai, 0, len(text), 0.6, "structural:x"),
              Claim(doc.id, name, "nationality", thai, 0, len(text), 0.7, "structural:x")]
    resolved = ResolvedDocument(
        document=doc,
        entities={"Person/yathada": Entity("Person/yathada", EntityType.PERSON, "Yathada"),
                  "Country/th": Entity("Country/th", EntityType.COUNTRY, "Thailand")},
        mention_entity={woman.span: "Person/yathada", name.span: "Person/yathada", thai.span: "Country/th"},
        claims=claims,
    )
    g = document_graph(resolved)
    statements = list(g.subjects(RDF.type, RDF.Statement))
    assert len(statements) == 1
    assert [str(v) for v in g.objects(statements[0], NG.confidence)] == ["0.700"]
