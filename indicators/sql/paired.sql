-- soc.relationship_change, soc.relationship_improved_share: a pair is a
-- respondent with a T0 and a T1 relationship_quality score in the same
-- agreement (each wave's score: the mean of the respondent's answered items
-- across that wave's surveys fielded by the date, numeric as in
-- survey_means.sql); its score is T1 - T0. Per agreement and for the policy
-- (agreements in scope): n, sum, sumsq of the pair scores and k, how many
-- are > 0. Each bucket adds what it changes in its respondents' pairs.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
g AS (SELECT a.code, t.a[width_bucket(a.lab_started_on, t.b) + 1] AS lab
      FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
-- each survey's bucket, computed once per survey, not per response
v AS MATERIALIZED (SELECT s.code AS survey, g.code, g.lab, s.wave,
             t.a[width_bucket(s.fielded_on, t.b) + 1] AS bucket
      FROM survey s JOIN g ON g.code = s.agreement_code CROSS JOIN t
      WHERE s.instrument = 'relationship_quality' AND s.wave IN ('T0', 'T1')
        AND s.fielded_on <= ANY ($2::date[])),
x AS MATERIALIZED (SELECT v.code, v.lab, r.respondent, v.bucket,
             sum(r.score) FILTER (WHERE v.wave = 'T0') AS total0,
             count(*) FILTER (WHERE v.wave = 'T0') AS items0,
             sum(r.score) FILTER (WHERE v.wave = 'T1') AS total1,
             count(*) FILTER (WHERE v.wave = 'T1') AS items1
      FROM response r JOIN v ON v.survey = r.survey_code
      WHERE r.score IS NOT NULL
      GROUP BY 1, 2, 3, 4),
z AS (SELECT code, lab, respondent, bucket,
             coalesce(sum(total0) OVER w, 0) AS total0, coalesce(sum(items0) OVER w, 0) AS items0,
             coalesce(sum(total1) OVER w, 0) AS total1, coalesce(sum(items1) OVER w, 0) AS items1
      FROM x
      WINDOW w AS (PARTITION BY code COLLATE "C", respondent COLLATE "C" ORDER BY bucket)),
y AS (SELECT code, lab, respondent, bucket,
             CASE WHEN items0 > 0 AND items1 > 0
                  THEN total1::numeric(40, 30) / items1::bigint
                       - total0::numeric(40, 30) / items0::bigint END AS score
      FROM z),
u AS (SELECT code, lab, bucket, score,
             lag(score) OVER (PARTITION BY code COLLATE "C",
                   respondent COLLATE "C" ORDER BY bucket) AS prev
      FROM y),
b AS (SELECT code, lab, bucket,
             sum(CASE WHEN score IS NOT NULL AND prev IS NULL THEN 1 ELSE 0 END) AS n,
             sum(coalesce(score, 0) - coalesce(prev, 0)) AS sum,
             sum(coalesce(score * score, 0) - coalesce(prev * prev, 0)) AS sumsq,
             sum(CASE WHEN score > 1e-9 THEN 1 ELSE 0 END
                 - CASE WHEN prev > 1e-9 THEN 1 ELSE 0 END) AS k
      FROM u GROUP BY 1, 2, 3),
l AS (SELECT 0 AS p, code, bucket, n, sum, sumsq, k FROM b
      UNION ALL
      SELECT 1, NULL, greatest(bucket, lab), sum(n), sum(sum), sum(sumsq), sum(k)
      FROM b GROUP BY 3
      UNION ALL
      SELECT 2, aa.neighbourhood_code, greatest(bucket, lab), sum(n), sum(sum), sum(sumsq),
             sum(k)
      FROM b JOIN agreement_area aa ON aa.agreement_code = b.code GROUP BY 2, 3),
c AS (SELECT p, code, bucket, lead(bucket) OVER w AS until, sum(n) OVER w AS n,
             sum(sum) OVER w AS sum, sum(sumsq) OVER w AS sumsq, sum(k) OVER w AS k
      FROM l WINDOW w AS (PARTITION BY p, code COLLATE "C" ORDER BY bucket))
SELECT d.asof, c.p, c.code AS agreement, c.n, c.sum, c.sumsq, c.k
FROM c JOIN d ON d.asof >= c.bucket AND (c.until IS NULL OR d.asof < c.until)
WHERE c.n > 0
