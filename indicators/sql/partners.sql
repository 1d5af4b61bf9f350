-- soc.new_partners_share, soc.bridging_share. Of an agreement's signatures by
-- the date: how many are their signatory's earliest signature anywhere (any
-- agreement of any policy; a tie counts for each), and how many are of a
-- signatory with two or more signatures to agreements of the run by the date.
-- The policy counts signatories with a signature to an agreement in scope
-- (signatories) and those with two (bridging); new_partners is null there.
-- A neighbourhood (p = 2) counts as the policy over the agreements that
-- cover it.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
g AS (SELECT a.code, t.a[width_bucket(a.lab_started_on, t.b) + 1] AS lab
      FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
-- signatory codes in "C" (and neighbourhood codes in kn): grouped by a sort,
-- they compare bytes
s AS (SELECT g.code, g.lab, x.signatory_code COLLATE "C" AS signatory, x.signed_on,
             t.a[width_bucket(x.signed_on, t.b) + 1] AS bucket
      FROM signature x JOIN g ON g.code = x.agreement_code CROSS JOIN t
      WHERE x.signed_on <= ANY ($2::date[])),
f AS (SELECT x.signatory_code COLLATE "C" AS signatory, min(x.signed_on) AS first_on
      FROM signature x WHERE x.signatory_code COLLATE "C" IN (SELECT signatory FROM s)
      GROUP BY 1),
-- per signatory: the bucket of its second signature to an agreement of the
-- run, and those from which it has one and two in scope
k AS (SELECT signatory, (array_agg(bucket ORDER BY bucket))[2] AS second,
             (array_agg(greatest(bucket, lab) ORDER BY greatest(bucket, lab)))[1] AS one_p,
             (array_agg(greatest(bucket, lab) ORDER BY greatest(bucket, lab)))[2] AS two_p
      FROM s GROUP BY 1),
-- the same per neighbourhood, over the agreements that cover it
kn AS (SELECT aa.neighbourhood_code COLLATE "C" AS nb, s.signatory,
              (array_agg(greatest(s.bucket, s.lab) ORDER BY greatest(s.bucket, s.lab)))[1]
                AS one_p,
              (array_agg(greatest(s.bucket, s.lab) ORDER BY greatest(s.bucket, s.lab)))[2]
                AS two_p
       FROM s JOIN agreement_area aa ON aa.agreement_code = s.code GROUP BY 1, 2),
-- a signature counts from its bucket, and as a bridge from the bucket where
-- its signatory has two; the policy counts signatories. Each as rows of a
-- UNION ALL: a LATERAL VALUES list of columns is compiled again for every
-- row it follows
sk AS (SELECT s.code, s.bucket, s.signed_on = f.first_on AS first, k.second
       FROM s JOIN k USING (signatory) JOIN f USING (signatory)),
e AS (SELECT 0 AS p, code, bucket, 1 AS n, CASE WHEN first THEN 1 ELSE 0 END AS nw, 0 AS br
      FROM sk
      UNION ALL
      SELECT 0, code, greatest(bucket, second), 0, 0, 1 FROM sk WHERE second IS NOT NULL
      UNION ALL
      SELECT 1, NULL, one_p, 1, NULL, 0 FROM k
      UNION ALL
      SELECT 1, NULL, two_p, 0, NULL, 1 FROM k
      UNION ALL
      SELECT 2, nb, one_p, 1, NULL, 0 FROM kn
      UNION ALL
      SELECT 2, nb, two_p, 0, NULL, 1 FROM kn),
l AS (SELECT p, code, bucket, sum(n) AS n, sum(nw) AS nw, sum(br) AS br
      FROM e WHERE bucket IS NOT NULL GROUP BY 1, 2, 3),
c AS (SELECT p, code, bucket, lead(bucket) OVER w AS until, sum(n) OVER w AS n,
             sum(nw) OVER w AS nw, sum(br) OVER w AS br
      FROM l WINDOW w AS (PARTITION BY p, code COLLATE "C" ORDER BY bucket))
SELECT c.bucket AS asof, c.until, c.p, c.code AS agreement, c.n AS signatories, c.nw AS new_partners,
       c.br AS bridging
FROM c
WHERE c.n > 0
