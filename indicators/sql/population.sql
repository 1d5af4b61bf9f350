-- out.population: the population of an agreement's neighbourhoods; for the
-- policy, of the distinct neighbourhoods of agreements in scope, each from
-- the date the first of them is; for a neighbourhood (p = 2), its own
-- population from the date the first agreement covering it is in scope.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
n AS (SELECT aa.agreement_code AS code, g.lab, nb.code AS nb, nb.population
      FROM g JOIN agreement_area aa ON aa.agreement_code = g.code
      JOIN neighbourhood nb ON nb.code = aa.neighbourhood_code),
v AS (SELECT nb, population, min(lab) AS first_on FROM n GROUP BY 1, 2),
bp AS (SELECT t.a[width_bucket(v.first_on, t.b) + 1] AS bucket, sum(v.population) AS population
       FROM v CROSS JOIN t GROUP BY 1)
SELECT t.a[1] AS asof, NULL::date AS until, 0 AS p, x.code AS agreement, x.population
FROM (SELECT code, sum(population) AS population FROM n GROUP BY 1) x CROSS JOIN t
UNION ALL
SELECT d.asof, lead(d.asof) OVER w, 1, NULL, coalesce(sum(bp.population) OVER w, 0)
FROM d LEFT JOIN bp ON bp.bucket = d.asof
WINDOW w AS (ORDER BY d.asof)
UNION ALL
SELECT y.bucket, NULL, 2, y.nb, y.population
FROM (SELECT v.nb, v.population, t.a[width_bucket(v.first_on, t.b) + 1] AS bucket
      FROM v CROSS JOIN t) y
WHERE y.bucket IS NOT NULL
