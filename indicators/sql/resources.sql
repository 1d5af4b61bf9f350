-- eff.staff_hours and the community value's parts: resources recorded by the
-- date, by kind.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
g AS (SELECT a.code, t.a[width_bucket(a.lab_started_on, t.b) + 1] AS lab
      FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
b AS (SELECT g.code, g.lab, r.kind, t.a[width_bucket(r.recorded_on, t.b) + 1] AS bucket,
             sum(r.quantity) AS quantity
      FROM resource r JOIN g ON g.code = r.agreement_code CROSS JOIN t
      WHERE r.recorded_on <= ANY ($2::date[])
      GROUP BY 1, 2, 3, 4),
l AS (SELECT 0 AS p, code, kind, bucket, quantity FROM b
      UNION ALL
      SELECT 1, NULL, kind, greatest(bucket, lab), sum(quantity) FROM b GROUP BY 3, 4
      UNION ALL
      SELECT 2, aa.neighbourhood_code, kind, greatest(bucket, lab), sum(quantity)
      FROM b JOIN agreement_area aa ON aa.agreement_code = b.code GROUP BY 2, 3, 4),
c AS (SELECT p, code, kind, bucket, lead(bucket) OVER w AS until,
             sum(quantity) OVER w AS quantity
      FROM l WINDOW w AS (PARTITION BY p, code COLLATE "C", kind COLLATE "C" ORDER BY bucket))
SELECT c.bucket AS asof, c.until, c.p, c.code AS agreement, c.kind, c.quantity
FROM c
