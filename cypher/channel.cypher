// name: channel
// description: Who cooperates with whom through one channel (port, university, research, cluster, tourism, business, government, event, education)
// param: channel: str = "port" -- the channel
// columns: a, b, cooperation, source
MATCH (a)-[r:COOPERATES_WITH {channel: $channel}]->(b)
MATCH (c:Cooperation {id: r.cooperation})
OPTIONAL MATCH (c)-[:CITED_IN]->(s:Source)
WITH a, b, c, s ORDER BY s.id
RETURN a.name AS a, b.name AS b, c.title AS cooperation, collect(s.id) AS source
ORDER BY a, b
