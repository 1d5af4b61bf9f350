-- eff.<stage>_eur: finance booked by the date, by stage, in total
-- (all_kinds = 1) and by project kind. Rows only for stages with a movement.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
b AS (SELECT j.agreement_code AS code, j.kind, f.stage,
             t.a[width_bucket(f.booked_on, t.b) + 1] AS bucket, sum(f.amount_eur) AS amount
      FROM finance f JOIN project j ON j.code = f.project_code
      JOIN g ON g.code = j.agreement_code CROSS JOIN t
      WHERE f.booked_on <= t.last
      GROUP BY 1, 2, 3, 4),
c AS (SELECT k.code, k.kind, k.stage, d.asof, k.lab <= d.asof AS in_scope,
             sum(b.amount) OVER w AS amount
      FROM (SELECT DISTINCT b.code, b.kind, b.stage, g.lab FROM b JOIN g USING (code)) k
      CROSS JOIN d
      LEFT JOIN b ON b.code = k.code AND b.kind = k.kind AND b.stage = k.stage
        AND b.bucket = d.asof
      WINDOW w AS (PARTITION BY k.code, k.kind, k.stage ORDER BY d.asof))
SELECT asof, 0 AS p, code AS agreement, GROUPING(kind) AS all_kinds, kind, stage,
       sum(amount) AS amount
FROM c WHERE amount IS NOT NULL
GROUP BY GROUPING SETS ((asof, code, kind, stage), (asof, code, stage))
UNION ALL
SELECT asof, 1, NULL, GROUPING(kind), kind, stage, sum(amount)
FROM c WHERE in_scope AND amount IS NOT NULL
GROUP BY GROUPING SETS ((asof, kind, stage), (asof, stage))
