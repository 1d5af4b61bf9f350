-- eff.<stage>_eur: finance booked by the date, by stage, in total
-- (all_kinds = 1) and by project kind. Rows only for stages with a movement.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
g AS (SELECT a.code, t.a[width_bucket(a.lab_started_on, t.b) + 1] AS lab
      FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
b AS (SELECT g.code, g.lab, GROUPING(j.kind) AS all_kinds, j.kind, f.stage,
             t.a[width_bucket(f.booked_on, t.b) + 1] AS bucket, sum(f.amount_eur) AS amount
      FROM finance f JOIN project j ON j.code = f.project_code
      JOIN g ON g.code = j.agreement_code CROSS JOIN t
      WHERE f.booked_on <= ANY ($2::date[])
      GROUP BY GROUPING SETS ((1, 2, j.kind, 5, 6), (1, 2, 5, 6))),
l AS (SELECT 0 AS p, code, all_kinds, kind, stage, bucket, amount FROM b
      UNION ALL
      SELECT 1, NULL, all_kinds, kind, stage, greatest(bucket, lab), sum(amount)
      FROM b GROUP BY 3, 4, 5, 6
      UNION ALL
      SELECT 2, aa.neighbourhood_code, all_kinds, kind, stage, greatest(bucket, lab),
             sum(amount)
      FROM b JOIN agreement_area aa ON aa.agreement_code = b.code GROUP BY 2, 3, 4, 5, 6),
c AS (SELECT p, code, all_kinds, kind, stage, bucket, lead(bucket) OVER w AS until,
             sum(amount) OVER w AS amount
      FROM l WINDOW w AS (PARTITION BY p, code COLLATE "C", all_kinds, kind COLLATE "C",
            stage COLLATE "C" ORDER BY bucket))
SELECT d.asof, c.p, c.code AS agreement, c.all_kinds, c.kind, c.stage, c.amount
FROM c JOIN d ON d.asof >= c.bucket AND (c.until IS NULL OR d.asof < c.until)
