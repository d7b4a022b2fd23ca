// name: shortcut-edges
// description: Every COOPERATES_WITH shortcut with both parties and the places they sit in (the analytics projection)
// columns: a, a_name, a_bloc, a_kind, b, b_name, b_bloc, b_kind, a_place, a_place_name, a_place_bloc, a_place_kind, b_place, b_place_name, b_place_bloc, b_place_kind, channel, sector, cooperation
MATCH (a)-[r:COOPERATES_WITH]->(b)
OPTIONAL MATCH (a)-[:LOCATED_IN]->(pa:Place)
OPTIONAL MATCH (b)-[:LOCATED_IN]->(pb:Place)
RETURN a.id AS a, a.name AS a_name, a.bloc AS a_bloc, coalesce(a.kind, 'Place') AS a_kind,
       b.id AS b, b.name AS b_name, b.bloc AS b_bloc, coalesce(b.kind, 'Place') AS b_kind,
       coalesce(pa.id, a.id) AS a_place, coalesce(pa.name, a.name) AS a_place_name,
       coalesce(pa.bloc, a.bloc) AS a_place_bloc, coalesce(pa.kind, a.kind) AS a_place_kind,
       coalesce(pb.id, b.id) AS b_place, coalesce(pb.name, b.name) AS b_place_name,
       coalesce(pb.bloc, b.bloc) AS b_place_bloc, coalesce(pb.kind, b.kind) AS b_place_kind,
       r.channel AS channel, r.sector AS sector, r.cooperation AS cooperation
