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
-- cumulated over the buckets; each sum holds from its bucket to the next
c AS (SELECT code, kind, bucket, lead(bucket) OVER w AS until, sum(quantity) OVER w AS quantity
      FROM b WINDOW w AS (PARTITION BY code, kind ORDER BY bucket)),
e AS (SELECT d.asof, c.code, g.lab <= d.asof AS in_scope, c.kind, c.quantity
      FROM c JOIN d ON d.asof >= c.bucket AND (c.until IS NULL OR d.asof < c.until)
      JOIN g USING (code))
SELECT asof, 0 AS p, code AS agreement, kind, quantity FROM e
UNION ALL
SELECT asof, 1, NULL, kind, sum(quantity) FROM e WHERE in_scope GROUP BY asof, kind
