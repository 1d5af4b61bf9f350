-- out.signatories and its breakdown by kind: agreement rows count signatures
-- (one per agreement and signatory) signed by the date; the policy counts
-- signatories distinct across agreements, each from its first signature to
-- an agreement in scope. all_kinds = 1 on the totals.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
g AS (SELECT a.code, t.a[width_bucket(a.lab_started_on, t.b) + 1] AS lab
      FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
s AS (SELECT g.code, g.lab, x.signatory_code AS signatory, y.kind,
             t.a[width_bucket(x.signed_on, t.b) + 1] AS bucket
      FROM signature x JOIN g ON g.code = x.agreement_code
      JOIN signatory y ON y.code = x.signatory_code CROSS JOIN t
      WHERE x.signed_on <= ANY ($2::date[])),
-- per agreement: each signature in its bucket; for the policy: each
-- signatory in the bucket of its first signature in scope; for a
-- neighbourhood: likewise over the agreements that cover it
l AS (SELECT 0 AS p, code, GROUPING(kind) AS all_kinds, kind, bucket, count(*) AS n
      FROM s GROUP BY GROUPING SETS ((code, kind, bucket), (code, bucket))
      UNION ALL
      SELECT 1, NULL, GROUPING(kind), kind, bucket, count(*)
      FROM (SELECT signatory, kind, min(greatest(bucket, lab)) AS bucket FROM s GROUP BY 1, 2) v
      GROUP BY GROUPING SETS ((kind, bucket), (bucket))
      UNION ALL
      SELECT 2, nb, GROUPING(kind), kind, bucket, count(*)
      FROM (SELECT aa.neighbourhood_code AS nb, s.signatory, s.kind,
                   min(greatest(s.bucket, s.lab)) AS bucket
            FROM s JOIN agreement_area aa ON aa.agreement_code = s.code GROUP BY 1, 2, 3) v
      GROUP BY GROUPING SETS ((nb, kind, bucket), (nb, bucket))),
c AS (SELECT p, code, all_kinds, kind, bucket, lead(bucket) OVER w AS until,
             sum(n) OVER w AS n
      FROM l WINDOW w AS (PARTITION BY p, code COLLATE "C", all_kinds,
            kind COLLATE "C" ORDER BY bucket))
SELECT c.bucket AS asof, c.until, c.p, c.code AS agreement, c.all_kinds, c.kind, c.n AS signatories
FROM c
