// name: channel
// description: Who cooperates with whom through one channel, with the cooperation and its sources
// param: channel: str in (port, university, research, cluster, tourism, business, government, event, education, twinning) = "port" -- the channel, any case
// columns: a, b, cooperation, source
MATCH (a)-[r:COOPERATES_WITH]->(b)
WHERE r.channel = toLower($channel)
MATCH (c:Cooperation {id: r.cooperation})
OPTIONAL MATCH (c)-[ci:CITED_IN]->(:Source)
WITH a, b, c, ci ORDER BY ci.source
RETURN a.name AS a, b.name AS b, c.title AS cooperation, collect(ci.source) AS source
ORDER BY a, b
