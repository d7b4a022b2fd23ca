// name: cooperation-titles
// description: Title, channel and sources of the cooperations a page shows, for tooltips that read as text
// param: ids: list -- the cooperations on the page
// columns: id, title, channel, sources, programme
MATCH (c:Cooperation)
WHERE c.id IN $ids
RETURN c.id AS id, c.title AS title, c.channel AS channel, [(c)-[ci:CITED_IN]->(:Source) | ci.source] AS sources,
       head([(c)-[:UNDER]->(pp:PilotProject) | pp.programme]) AS programme
