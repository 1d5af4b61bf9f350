-- soc.quality_of_life_change: per agreement and wave (T0, T1), and for the
-- policy (agreements in scope), n, sum, sumsq of the respondent scores of
-- the quality_of_life surveys fielded by the date (numeric scores as in
-- survey_means.sql; each bucket adds what it changes in its respondents').
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
      WHERE s.instrument = 'quality_of_life' AND s.wave IN ('T0', 'T1')
        AND s.fielded_on <= ANY ($2::date[])),
-- each response once: item totals per survey and respondent, read survey by
-- survey from the primary key (as in survey_means.sql), then per
-- agreement, wave, respondent and bucket (int, as there)
x AS (SELECT v.code, v.lab, v.wave, r.respondent, v.bucket,
             sum(r.total)::int AS total, sum(r.items)::int AS items
      FROM v CROSS JOIN LATERAL (
        SELECT r.respondent, sum(r.score)::int AS total, count(*)::int AS items
        FROM response r WHERE r.survey_code = v.survey AND r.score IS NOT NULL
        GROUP BY 1 OFFSET 0) r
      GROUP BY 1, 2, 3, 4, 5),
-- the respondent's totals as of each of their buckets (buckets are distinct
-- within a partition: the ones before add up to these less the bucket's own)
z AS (SELECT code, lab, wave, bucket, total, items,
             (sum(total) OVER w)::bigint AS ct, (sum(items) OVER w)::bigint AS ci
      FROM x
      WINDOW w AS (PARTITION BY respondent COLLATE "C", code COLLATE "C",
            wave COLLATE "C" ORDER BY bucket)),
-- the respondent's score as of each of their buckets, and as of the one before
-- (codes in "C" from here on: grouped by a sort, they compare bytes)
y AS (SELECT code COLLATE "C" AS code, lab, wave COLLATE "C" AS wave, bucket,
             ct::numeric(40, 30) / ci AS score,
             CASE WHEN ci > items THEN (ct - total)::numeric(40, 30) / (ci - items) END AS prev
      FROM z),
b AS (SELECT code, lab, wave, bucket, count(*) FILTER (WHERE prev IS NULL) AS n,
             sum(score - coalesce(prev, 0)) AS sum,
             sum(score * score - coalesce(prev * prev, 0)) AS sumsq
      FROM y GROUP BY 1, 2, 3, 4),
l AS (SELECT 0 AS p, code, wave, bucket, n, sum, sumsq FROM b
      UNION ALL
      SELECT 1, NULL, wave, greatest(bucket, lab), sum(n), sum(sum), sum(sumsq)
      FROM b GROUP BY 3, 4
      UNION ALL
      SELECT 2, aa.neighbourhood_code, wave, greatest(bucket, lab), sum(n), sum(sum),
             sum(sumsq)
      FROM b JOIN agreement_area aa ON aa.agreement_code COLLATE "C" = b.code GROUP BY 2, 3, 4),
c AS (SELECT p, code, wave, bucket, lead(bucket) OVER w AS until, sum(n) OVER w AS n,
             sum(sum) OVER w AS sum, sum(sumsq) OVER w AS sumsq
      FROM l WINDOW w AS (PARTITION BY p, code COLLATE "C", wave COLLATE "C" ORDER BY bucket))
SELECT c.bucket AS asof, c.until, c.p, c.code AS agreement, c.wave, c.n, c.sum, c.sumsq
FROM c
WHERE c.n > 0
