// name: timeline
// description: Dated events, missions and visits, and dated cooperations, in time order
// param: since: str = "" -- only from this date on (YYYY or YYYY-MM); empty for all
// columns: date, kind, what, about
MATCH (e:Event) WHERE e.date IS NOT NULL AND e.date >= $since
OPTIONAL MATCH (e)-[:ABOUT]->(x)
WITH e, collect(coalesce(x.title, x.name)) AS about
RETURN e.date AS date, e.kind AS kind, e.name AS what, about
ORDER BY date, what
