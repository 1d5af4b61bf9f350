-- eff.<stage>_eur: finance booked by the date, by stage, in total
-- (all_kinds = 1) and by project kind. Rows only for stages with a movement.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
b AS (SELECT j.agreement_code AS code, GROUPING(j.kind) AS all_kinds, j.kind, f.stage,
             t.a[width_bucket(f.booked_on, t.b) + 1] AS bucket, sum(f.amount_eur) AS amount
      FROM finance f JOIN project j ON j.code = f.project_code
      JOIN g ON g.code = j.agreement_code CROSS JOIN t
      WHERE f.booked_on <= t.last
      GROUP BY GROUPING SETS ((1, j.kind, f.stage, 5), (1, f.stage, 5))),
-- cumulated over the buckets; each sum holds from its bucket to the next
c AS (SELECT code, all_kinds, kind, stage, bucket, lead(bucket) OVER w AS until,
             sum(amount) OVER w AS amount
      FROM b WINDOW w AS (PARTITION BY code, all_kinds, kind, stage ORDER BY bucket)),
e AS (SELECT d.asof, c.code, g.lab <= d.asof AS in_scope, c.all_kinds, c.kind, c.stage, c.amount
      FROM c JOIN d ON d.asof >= c.bucket AND (c.until IS NULL OR d.asof < c.until)
      JOIN g USING (code))
SELECT asof, 0 AS p, code AS agreement, all_kinds, kind, stage, amount FROM e
UNION ALL
SELECT asof, 1, NULL, all_kinds, kind, stage, sum(amount)
FROM e WHERE in_scope GROUP BY asof, all_kinds, kind, stage
