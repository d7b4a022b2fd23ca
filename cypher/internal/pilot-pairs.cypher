// name: pilot-pairs
// description: Every European and partner place that one pilot project pairs
// columns: a, a_name, a_bloc, a_kind, b, b_name, b_bloc, b_kind, pilot, programme
MATCH (e:Place)<-[:HAS_PARTNER {side: 'Europe'}]-(pp:PilotProject)-[:HAS_PARTNER {side: 'Partner'}]->(x:Place)
RETURN e.id AS a, e.name AS a_name, e.bloc AS a_bloc, e.kind AS a_kind,
       x.id AS b, x.name AS b_name, x.bloc AS b_bloc, x.kind AS b_kind, pp.id AS pilot, pp.programme AS programme
