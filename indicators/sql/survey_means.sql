-- eft.agreement_quality, eft.satisfaction, eft.satisfied_share,
-- org.culture_score: per agreement and instrument, the sufficient statistics
-- (n, sum, sumsq) of the respondent scores and how many are >= 4 (k). A
-- respondent's score is the mean of their answered items across the
-- agreement's surveys fielded by the date, whatever the wave. The policy's
-- own org_culture surveys (no agreement) are one more group, read at policy
-- level only; the policy sums the groups in scope.
--
-- Scores stay numeric with 30 decimals, as sum(score)::numeric(40, 30) /
-- count: exact to far below a double's precision, so that identical data
-- gives bit-identical statistics. Each bucket adds to n, sum, sumsq and k
-- what it changes in the scores of its respondents (exact numeric
-- differences), and the buckets are cumulated to every as-of date.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
g AS (SELECT a.code, t.a[width_bucket(a.lab_started_on, t.b) + 1] AS lab
      FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
-- each survey's bucket, computed once per survey, not per response
v AS MATERIALIZED (SELECT s.code AS survey, g.code, g.lab, s.instrument,
             t.a[width_bucket(s.fielded_on, t.b) + 1] AS bucket
      FROM survey s LEFT JOIN g ON g.code = s.agreement_code CROSS JOIN t
      WHERE s.policy_code = $1::text AND s.fielded_on <= ANY ($2::date[])
        AND s.instrument IN ('agreement_quality', 'satisfaction', 'org_culture')
        AND (s.agreement_code IS NULL OR g.code IS NOT NULL)),
-- each response once: item totals per survey and respondent, read survey by
-- survey from the primary key (in respondent order, so grouped without a
-- sort; OFFSET 0 keeps it a loop over the surveys), then per agreement (null:
-- the policy's own org_culture surveys), instrument, respondent and bucket.
-- Totals and counts are int (a few scores each): a running sum of int is a
-- bigint, where one of bigint would be numeric, exact too but slower
x AS (SELECT v.code, v.lab, v.instrument, r.respondent, v.bucket,
             sum(r.total)::int AS total, sum(r.items)::int AS items
      FROM v CROSS JOIN LATERAL (
        SELECT r.respondent, sum(r.score)::int AS total, count(*)::int AS items
        FROM response r WHERE r.survey_code = v.survey AND r.score IS NOT NULL
        GROUP BY 1 OFFSET 0) r
      GROUP BY 1, 2, 3, 4, 5),
-- the respondent's totals as of each of their buckets (buckets are distinct
-- within a partition: the ones before add up to these less the bucket's own)
z AS (SELECT code, lab, instrument, bucket, total, items,
             (sum(total) OVER w)::bigint AS ct, (sum(items) OVER w)::bigint AS ci
      FROM x
      WINDOW w AS (PARTITION BY respondent COLLATE "C", code COLLATE "C",
            instrument COLLATE "C" ORDER BY bucket)),
-- the respondent's score as of each of their buckets, and as of the one before
-- (codes in "C" from here on: grouped by a sort, they compare bytes)
y AS (SELECT code COLLATE "C" AS code, lab, instrument COLLATE "C" AS instrument, bucket,
             ct::numeric(40, 30) / ci AS score,
             CASE WHEN ci > items THEN (ct - total)::numeric(40, 30) / (ci - items) END AS prev
      FROM z),
-- what each bucket changes in n, sum, sumsq and k
b AS (SELECT code, lab, instrument, bucket, count(*) FILTER (WHERE prev IS NULL) AS n,
             sum(score - coalesce(prev, 0)) AS sum,
             sum(score * score - coalesce(prev * prev, 0)) AS sumsq,
             sum(CASE WHEN score >= 4 - 1e-9 THEN 1 ELSE 0 END
                 - CASE WHEN prev >= 4 - 1e-9 THEN 1 ELSE 0 END) AS k
      FROM y GROUP BY 1, 2, 3, 4),
-- the agreements, the policy: the agreements in scope and its own surveys
-- (greatest ignores their null lab), and each neighbourhood: the agreements
-- that cover it, never the policy's own surveys (the join drops code null)
l AS (SELECT 0 AS p, code, instrument, bucket, n, sum, sumsq, k FROM b WHERE code IS NOT NULL
      UNION ALL
      SELECT 1, NULL, instrument, greatest(bucket, lab), sum(n), sum(sum), sum(sumsq), sum(k)
      FROM b GROUP BY 3, 4
      UNION ALL
      SELECT 2, aa.neighbourhood_code, instrument, greatest(bucket, lab), sum(n), sum(sum),
             sum(sumsq), sum(k)
      FROM b JOIN agreement_area aa ON aa.agreement_code COLLATE "C" = b.code GROUP BY 2, 3, 4),
c AS (SELECT p, code, instrument, bucket, lead(bucket) OVER w AS until, sum(n) OVER w AS n,
             sum(sum) OVER w AS sum, sum(sumsq) OVER w AS sumsq, sum(k) OVER w AS k
      FROM l WINDOW w AS (PARTITION BY p, code COLLATE "C", instrument COLLATE "C" ORDER BY bucket))
SELECT c.bucket AS asof, c.until, c.p, c.code AS agreement, c.instrument, c.n, c.sum, c.sumsq, c.k
FROM c
WHERE c.n > 0
