-- eft.agreement_quality, eft.satisfaction, eft.satisfied_share,
-- org.culture_score: per agreement and instrument, the sufficient statistics
-- (n, sum, sumsq) of the respondent scores and how many are >= 4 (k). A
-- respondent's score is the mean of their answered items across the
-- agreement's surveys fielded by the date, whatever the wave. The policy's
-- own org_culture surveys (no agreement; key '' below, no code is empty) are
-- one more group, read at policy level only; the policy sums the groups in
-- scope.
--
-- Scores stay numeric with 30 decimals, as sum(score)::numeric(40, 30) /
-- count: exact to far below a double's precision, so that identical data
-- gives bit-identical statistics. Each bucket adds to n, sum, sumsq and k
-- what it changes in the scores of its respondents (exact numeric
-- differences), and the buckets are cumulated to every as-of date.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
o AS (SELECT code AS key, lab FROM g UNION ALL SELECT '', NULL),
-- each response once: item totals per owner, instrument, respondent, bucket
x AS MATERIALIZED (SELECT o.key, s.instrument, r.respondent,
             t.a[width_bucket(s.fielded_on, t.b) + 1] AS bucket,
             sum(r.score) AS total, count(*) AS items
      FROM survey s JOIN o ON o.key = coalesce(s.agreement_code, '') CROSS JOIN t
      JOIN response r ON r.survey_code = s.code AND r.score IS NOT NULL
      WHERE s.policy_code = $1::text AND s.fielded_on <= t.last
        AND s.instrument IN ('agreement_quality', 'satisfaction', 'org_culture')
      GROUP BY 1, 2, 3, 4),
-- the respondent's score as of each of their buckets, and as of the one before
y AS (SELECT key, instrument, bucket, score,
             lag(score) OVER (PARTITION BY key, instrument, respondent ORDER BY bucket) AS prev
      FROM (SELECT key, instrument, respondent, bucket,
                   (sum(total) OVER w)::numeric(40, 30) / (sum(items) OVER w)::bigint AS score
            FROM x
            WINDOW w AS (PARTITION BY key, instrument, respondent ORDER BY bucket)) z),
b AS (SELECT key, instrument, bucket, count(*) FILTER (WHERE prev IS NULL) AS n,
             sum(score - coalesce(prev, 0)) AS sum,
             sum(score * score - coalesce(prev * prev, 0)) AS sumsq,
             sum(CASE WHEN score >= 4 - 1e-9 THEN 1 ELSE 0 END
                 - CASE WHEN prev >= 4 - 1e-9 THEN 1 ELSE 0 END) AS k
      FROM y GROUP BY 1, 2, 3),
-- cumulated over the buckets; each sum holds from its bucket to the next
c AS (SELECT key, instrument, bucket, lead(bucket) OVER w AS until, sum(n) OVER w AS n,
             sum(sum) OVER w AS sum, sum(sumsq) OVER w AS sumsq, sum(k) OVER w AS k
      FROM b WINDOW w AS (PARTITION BY key, instrument ORDER BY bucket)),
e AS (SELECT d.asof, c.key, o.lab IS NULL OR o.lab <= d.asof AS in_scope, c.instrument,
             c.n, c.sum, c.sumsq, c.k
      FROM c JOIN d ON d.asof >= c.bucket AND (c.until IS NULL OR d.asof < c.until)
      JOIN o USING (key))
SELECT asof, 0 AS p, key AS agreement, instrument, n, sum, sumsq, k
FROM e WHERE key <> '' AND n > 0
UNION ALL
SELECT asof, 1, NULL, instrument, sum(n), sum(sum), sum(sumsq), sum(k)
FROM e WHERE in_scope AND n > 0 GROUP BY asof, instrument
