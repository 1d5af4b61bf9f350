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
-- each response once: item totals per survey and respondent, read survey by
-- survey from the primary key (as in survey_means.sql), then per
-- agreement, respondent and bucket, by wave (int, as there)
x AS (SELECT v.code, v.lab, r.respondent, v.bucket,
             coalesce(sum(r.total) FILTER (WHERE v.wave = 'T0'), 0)::int AS total0,
             coalesce(sum(r.items) FILTER (WHERE v.wave = 'T0'), 0)::int AS items0,
             coalesce(sum(r.total) FILTER (WHERE v.wave = 'T1'), 0)::int AS total1,
             coalesce(sum(r.items) FILTER (WHERE v.wave = 'T1'), 0)::int AS items1
      FROM v CROSS JOIN LATERAL (
        SELECT r.respondent, sum(r.score)::int AS total, count(*)::int AS items
        FROM response r WHERE r.survey_code = v.survey AND r.score IS NOT NULL
        GROUP BY 1 OFFSET 0) r
      GROUP BY 1, 2, 3, 4),
-- the respondent's totals as of each of their buckets (buckets are distinct
-- within a partition: the ones before add up to these less the bucket's own)
z AS (SELECT code, lab, bucket, total0, items0, total1, items1,
             (sum(total0) OVER w)::bigint AS ct0, (sum(items0) OVER w)::bigint AS ci0,
             (sum(total1) OVER w)::bigint AS ct1, (sum(items1) OVER w)::bigint AS ci1
      FROM x
      WINDOW w AS (PARTITION BY respondent COLLATE "C", code COLLATE "C" ORDER BY bucket)),
-- the pair's score as of each of the respondent's buckets, and as of the one
-- before (null without both waves; codes in "C" from here on, as in
-- survey_means.sql)
u AS (SELECT code COLLATE "C" AS code, lab, bucket,
             CASE WHEN ci0 > 0 AND ci1 > 0
                  THEN ct1::numeric(40, 30) / ci1 - ct0::numeric(40, 30) / ci0 END AS score,
             CASE WHEN ci0 > items0 AND ci1 > items1
                  THEN (ct1 - total1)::numeric(40, 30) / (ci1 - items1)
                       - (ct0 - total0)::numeric(40, 30) / (ci0 - items0) END AS prev
      FROM z),
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
      FROM b JOIN agreement_area aa ON aa.agreement_code COLLATE "C" = b.code GROUP BY 2, 3),
c AS (SELECT p, code, bucket, lead(bucket) OVER w AS until, sum(n) OVER w AS n,
             sum(sum) OVER w AS sum, sum(sumsq) OVER w AS sumsq, sum(k) OVER w AS k
      FROM l WINDOW w AS (PARTITION BY p, code COLLATE "C" ORDER BY bucket))
SELECT c.bucket AS asof, c.until, c.p, c.code AS agreement, c.n, c.sum, c.sumsq, c.k
FROM c
WHERE c.n > 0
