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
b AS (SELECT s.code, s.kind, t.a[width_bucket(s.signed_on, t.b) + 1] AS bucket, count(*) AS n
      FROM s CROSS JOIN t GROUP BY 1, 2, 3),
v AS (SELECT signatory, kind, min(greatest(signed_on, lab)) AS first_on FROM s GROUP BY 1, 2),
bp AS (SELECT v.kind, t.a[width_bucket(v.first_on, t.b) + 1] AS bucket, count(*) AS n
       FROM v CROSS JOIN t GROUP BY 1, 2),
c AS (SELECT k.code, k.kind, d.asof, coalesce(sum(b.n) OVER w, 0) AS n
      FROM (SELECT DISTINCT code, kind FROM b) k CROSS JOIN d
      LEFT JOIN b ON b.code = k.code AND b.kind = k.kind AND b.bucket = d.asof
      WINDOW w AS (PARTITION BY k.code, k.kind ORDER BY d.asof)),
cp AS (SELECT k.kind, d.asof, coalesce(sum(bp.n) OVER w, 0) AS n
       FROM (SELECT DISTINCT kind FROM bp) k CROSS JOIN d
       LEFT JOIN bp ON bp.kind = k.kind AND bp.bucket = d.asof
       WINDOW w AS (PARTITION BY k.kind ORDER BY d.asof))
SELECT asof, 0 AS p, code AS agreement, GROUPING(kind) AS all_kinds, kind,
       sum(n) AS signatories
FROM c GROUP BY GROUPING SETS ((asof, code, kind), (asof, code))
UNION ALL
SELECT asof, 1, NULL, GROUPING(kind), kind, sum(n)
FROM cp GROUP BY GROUPING SETS ((asof, kind), (asof))
