-- eff.<stage>_eur: finance booked by the date, by stage, in total
-- (all_kinds = 1) and by project kind. Rows only for stages with a movement.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
-- the agreements and (n) the neighbourhoods of the run numbered, so that
-- the levels are grouped and sorted on integers; the codes come back at the
-- end (e)
g AS (SELECT a.code, t.a[width_bucket(a.lab_started_on, t.b) + 1] AS lab,
             row_number() OVER (ORDER BY a.code COLLATE "C")::int AS id
      FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
n AS (SELECT nb, row_number() OVER (ORDER BY nb)::int AS id
      FROM (SELECT DISTINCT aa.neighbourhood_code COLLATE "C" AS nb
            FROM agreement_area aa JOIN g ON g.code = aa.agreement_code) x),
-- which agreements cover which neighbourhood, by number
an AS (SELECT g.id AS agreement, n.id AS nb
       FROM agreement_area aa JOIN g ON g.code = aa.agreement_code
       JOIN n ON n.nb = aa.neighbourhood_code COLLATE "C"),
-- kind and stage in "C": where grouped by a sort, they compare bytes
b AS (SELECT g.id, g.lab, GROUPING(j.kind COLLATE "C") AS all_kinds, j.kind COLLATE "C" AS kind,
             f.stage COLLATE "C" AS stage,
             t.a[width_bucket(f.booked_on, t.b) + 1] AS bucket, sum(f.amount_eur) AS amount
      FROM finance f JOIN project j ON j.code = f.project_code
      JOIN g ON g.code = j.agreement_code CROSS JOIN t
      WHERE f.booked_on <= ANY ($2::date[])
      GROUP BY GROUPING SETS ((1, 2, 4, 5, 6), (1, 2, 5, 6))),
l AS (SELECT 0 AS p, id, all_kinds, kind, stage, bucket, amount FROM b
      UNION ALL
      SELECT 1, 0, all_kinds, kind, stage, greatest(bucket, lab), sum(amount)
      FROM b GROUP BY 3, 4, 5, 6
      UNION ALL
      SELECT 2, an.nb, all_kinds, kind, stage, greatest(bucket, lab), sum(amount)
      FROM b JOIN an ON an.agreement = b.id GROUP BY 2, 3, 4, 5, 6),
c AS (SELECT p, id, all_kinds, kind, stage, bucket, lead(bucket) OVER w AS until,
             sum(amount) OVER w AS amount
      FROM l WINDOW w AS (PARTITION BY p, id, all_kinds, kind, stage ORDER BY bucket)),
e AS (SELECT 0 AS p, id, code FROM g UNION ALL SELECT 2, id, nb FROM n)
SELECT c.bucket AS asof, c.until, c.p, e.code AS agreement, c.all_kinds, c.kind, c.stage, c.amount
FROM c
LEFT JOIN e ON e.p = c.p AND e.id = c.id
