-- out.signatories and its breakdown by kind: agreement rows count signatures
-- (one per agreement and signatory) signed by the date; the policy counts
-- signatories distinct across agreements, each from its first signature to
-- an agreement in scope. all_kinds = 1 on the totals.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
s AS (SELECT x.agreement_code AS code, g.lab, x.signatory_code AS signatory, y.kind,
             x.signed_on
      FROM signature x JOIN g ON g.code = x.agreement_code
      JOIN signatory y ON y.code = x.signatory_code CROSS JOIN t
      WHERE x.signed_on <= t.last),
-- per agreement: each signature in its bucket; for the policy: each
-- signatory in the bucket of its first signature in scope (code '')
b AS (SELECT s.code, GROUPING(s.kind) AS all_kinds, s.kind,
             t.a[width_bucket(s.signed_on, t.b) + 1] AS bucket, count(*) AS n
      FROM s CROSS JOIN t GROUP BY GROUPING SETS ((1, 3, 4), (1, 4))
      UNION ALL
      SELECT '', GROUPING(v.kind), v.kind, t.a[width_bucket(v.first_on, t.b) + 1], count(*)
      FROM (SELECT signatory, kind, min(greatest(signed_on, lab)) AS first_on
            FROM s GROUP BY 1, 2) v CROSS JOIN t
      GROUP BY GROUPING SETS ((3, 4), (4))),
-- cumulated over the buckets; each count holds from its bucket to the next
c AS (SELECT code, all_kinds, kind, bucket, lead(bucket) OVER w AS until, sum(n) OVER w AS n
      FROM b WINDOW w AS (PARTITION BY code, all_kinds, kind ORDER BY bucket))
SELECT d.asof, CASE WHEN c.code = '' THEN 1 ELSE 0 END AS p, nullif(c.code, '') AS agreement,
       c.all_kinds, c.kind, c.n AS signatories
FROM c JOIN d ON d.asof >= c.bucket AND (c.until IS NULL OR d.asof < c.until)
