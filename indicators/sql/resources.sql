-- eff.staff_hours and the community value's parts: resources recorded by the
-- date, by kind.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
b AS (SELECT r.agreement_code AS code, r.kind,
             t.a[width_bucket(r.recorded_on, t.b) + 1] AS bucket, sum(r.quantity) AS quantity
      FROM resource r JOIN g ON g.code = r.agreement_code CROSS JOIN t
      WHERE r.recorded_on <= t.last
      GROUP BY 1, 2, 3),
c AS (SELECT k.code, k.kind, d.asof, k.lab <= d.asof AS in_scope,
             sum(b.quantity) OVER w AS quantity
      FROM (SELECT DISTINCT b.code, b.kind, g.lab FROM b JOIN g USING (code)) k CROSS JOIN d
      LEFT JOIN b ON b.code = k.code AND b.kind = k.kind AND b.bucket = d.asof
      WINDOW w AS (PARTITION BY k.code, k.kind ORDER BY d.asof))
SELECT asof, 0 AS p, code AS agreement, kind, quantity FROM c WHERE quantity IS NOT NULL
UNION ALL
SELECT asof, 1, NULL, kind, sum(quantity)
FROM c WHERE in_scope AND quantity IS NOT NULL GROUP BY asof, kind
