// name: cooperation-dates
// description: Every dated cooperation's date (YYYY, YYYY-MM or YYYY-MM-DD), for the dates on exported edges
// columns: id, date
MATCH (c:Cooperation)
WHERE c.date IS NOT NULL
RETURN c.id AS id, c.date AS date
