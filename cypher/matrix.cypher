// name: matrix
// description: Channel × sector counts of cooperations, for one pilot project or for everything
// param: pilot: str = "" -- a pilot project id (e.g. eu-china-3); empty for all
// columns: channel, sector, cooperations
MATCH (c:Cooperation)-[:IN_SECTOR]->(s:Sector)
WHERE $pilot = '' OR c.pilot = $pilot
RETURN c.channel AS channel, s.name AS sector, count(DISTINCT c) AS cooperations
ORDER BY cooperations DESC, channel, sector
