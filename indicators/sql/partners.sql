-- soc.new_partners_share, soc.bridging_share. Of an agreement's signatures by
-- the date: how many are their signatory's earliest signature anywhere (any
-- agreement of any policy; a tie counts for each), and how many are of a
-- signatory with two or more signatures to agreements of the run by the date.
-- The policy counts signatories with a signature to an agreement in scope
-- (signatories) and those with two (bridging). Agreement rows only when it
-- has a signature; new_partners is null on policy rows.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
s AS (SELECT x.agreement_code AS code, g.lab, x.signatory_code AS signatory, x.signed_on
      FROM signature x JOIN g ON g.code = x.agreement_code CROSS JOIN t
      WHERE x.signed_on <= t.last),
f AS (SELECT x.signatory_code AS signatory, min(x.signed_on) AS first_on
      FROM signature x WHERE x.signatory_code IN (SELECT signatory FROM s) GROUP BY 1),
-- per signatory: the date of its second signature to an agreement of the run,
-- and the dates from which it has one and two in scope
k AS (SELECT signatory, (array_agg(signed_on ORDER BY signed_on))[2] AS second_on,
             (array_agg(greatest(signed_on, lab) ORDER BY greatest(signed_on, lab)))[1]
               AS one_p,
             (array_agg(greatest(signed_on, lab) ORDER BY greatest(signed_on, lab)))[2]
               AS two_p
      FROM s GROUP BY 1),
-- a signature counts from its date, and as a bridge from the date its
-- signatory has two
e AS (SELECT s.code, v.on_date, v.n, v.nw, v.br
      FROM s JOIN k USING (signatory) JOIN f USING (signatory)
      CROSS JOIN LATERAL (VALUES
        (s.signed_on, 1, CASE WHEN s.signed_on = f.first_on THEN 1 ELSE 0 END, 0),
        (CASE WHEN k.second_on IS NOT NULL THEN greatest(s.signed_on, k.second_on) END,
         0, 0, 1)) v(on_date, n, nw, br)
      WHERE v.on_date IS NOT NULL),
b AS (SELECT e.code, t.a[width_bucket(e.on_date, t.b) + 1] AS bucket,
             sum(e.n) AS n, sum(e.nw) AS nw, sum(e.br) AS br
      FROM e CROSS JOIN t GROUP BY 1, 2),
bp AS (SELECT t.a[width_bucket(v.on_date, t.b) + 1] AS bucket, sum(v.n) AS n, sum(v.br) AS br
       FROM k CROSS JOIN LATERAL (VALUES (k.one_p, 1, 0), (k.two_p, 0, 1)) v(on_date, n, br)
       CROSS JOIN t
       WHERE v.on_date IS NOT NULL GROUP BY 1),
c AS (SELECT g.code, d.asof, coalesce(sum(b.n) OVER w, 0) AS n,
             coalesce(sum(b.nw) OVER w, 0) AS nw, coalesce(sum(b.br) OVER w, 0) AS br
      FROM g CROSS JOIN d
      LEFT JOIN b ON b.code = g.code AND b.bucket = d.asof
      WINDOW w AS (PARTITION BY g.code ORDER BY d.asof)),
cp AS (SELECT d.asof, coalesce(sum(bp.n) OVER w, 0) AS n, coalesce(sum(bp.br) OVER w, 0) AS br
       FROM d LEFT JOIN bp ON bp.bucket = d.asof
       WINDOW w AS (ORDER BY d.asof))
SELECT asof, 0 AS p, code AS agreement, n AS signatories, nw AS new_partners, br AS bridging
FROM c WHERE n > 0
UNION ALL
SELECT asof, 1, NULL, n, NULL, br FROM cp WHERE n > 0
