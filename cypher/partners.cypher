// name: partners
// description: The places one place works with, in any bloc (its own included), by which channels, in which sectors, through whom
// param: place: str -- a place id, name or alias (e.g. Chengdu)
// columns: partner, bloc, channels, sectors, via
// check: place in places
MATCH (p:Place)
WHERE p.id = $place OR toLower(p.name) = toLower($place) OR toLower($place) IN [n IN coalesce(p.aliases, []) | toLower(n)]
CALL {
  WITH p
  MATCH (p)<-[mine:HAS_PARTNER]-(pp:PilotProject)-[theirs:HAS_PARTNER]->(q:Place)
  WHERE theirs.side <> mine.side
  RETURN q, 'pilot' AS channel, null AS sector, 'pilot project ' + pp.name AS via
  UNION ALL
  WITH p
  MATCH (p)<-[:LOCATED_IN|PART_OF*0..6]-(a)-[r:COOPERATES_WITH]-(b)-[:LOCATED_IN*0..1]->(q:Place)
  WHERE q <> p AND NOT (q)-[:PART_OF*1..6]->(p)
  RETURN q, r.channel AS channel, r.sector AS sector, a.name + ' – ' + b.name AS via
}
WITH q, channel, sector, via ORDER BY channel, sector, via
RETURN q.name AS partner, q.bloc AS bloc, collect(DISTINCT channel) AS channels,
       collect(DISTINCT sector) AS sectors, collect(DISTINCT via) AS via
ORDER BY size(via) DESC, partner
