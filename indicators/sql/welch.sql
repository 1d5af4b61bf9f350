-- soc.quality_of_life_change: per agreement and wave (T0, T1), and for the
-- policy (agreements in scope), n, sum, sumsq of the respondent scores of
-- the quality_of_life surveys fielded by the date (numeric scores as in
-- survey_means.sql; each bucket adds what it changes in its respondents').
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
x AS MATERIALIZED (SELECT s.agreement_code AS code, s.wave, r.respondent,
             t.a[width_bucket(s.fielded_on, t.b) + 1] AS bucket,
             sum(r.score) AS total, count(*) AS items
      FROM survey s JOIN g ON g.code = s.agreement_code CROSS JOIN t
      JOIN response r ON r.survey_code = s.code AND r.score IS NOT NULL
      WHERE s.instrument = 'quality_of_life' AND s.wave IN ('T0', 'T1')
        AND s.fielded_on <= t.last
      GROUP BY 1, 2, 3, 4),
y AS (SELECT code, wave, bucket, score,
             lag(score) OVER (PARTITION BY code, wave, respondent ORDER BY bucket) AS prev
      FROM (SELECT code, wave, respondent, bucket,
                   (sum(total) OVER w)::numeric(40, 30) / (sum(items) OVER w)::bigint AS score
            FROM x
            WINDOW w AS (PARTITION BY code, wave, respondent ORDER BY bucket)) z),
b AS (SELECT code, wave, bucket, count(*) FILTER (WHERE prev IS NULL) AS n,
             sum(score - coalesce(prev, 0)) AS sum,
             sum(score * score - coalesce(prev * prev, 0)) AS sumsq
      FROM y GROUP BY 1, 2, 3),
c AS (SELECT code, wave, bucket, lead(bucket) OVER w AS until, sum(n) OVER w AS n,
             sum(sum) OVER w AS sum, sum(sumsq) OVER w AS sumsq
      FROM b WINDOW w AS (PARTITION BY code, wave ORDER BY bucket)),
e AS (SELECT d.asof, c.code, g.lab <= d.asof AS in_scope, c.wave, c.n, c.sum, c.sumsq
      FROM c JOIN d ON d.asof >= c.bucket AND (c.until IS NULL OR d.asof < c.until)
      JOIN g USING (code))
SELECT asof, 0 AS p, code AS agreement, wave, n, sum, sumsq FROM e WHERE n > 0
UNION ALL
SELECT asof, 1, NULL, wave, sum(n), sum(sum), sum(sumsq)
FROM e WHERE in_scope AND n > 0 GROUP BY asof, wave
