-- The neighbourhoods of the agreements of the run.
WITH d AS (SELECT max(x) AS asof FROM unnest($2::date[]) x)
SELECT aa.agreement_code AS agreement, n.code, n.name, n.population
FROM agreement a
JOIN d ON a.lab_started_on <= d.asof
JOIN agreement_area aa ON aa.agreement_code = a.code
JOIN neighbourhood n ON n.code = aa.neighbourhood_code
WHERE a.policy_code = $1::text
ORDER BY 1, n.name, n.code
