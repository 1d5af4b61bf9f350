-- The ex-ante block: per agreement and criterion, the score of the latest
-- assessment by the date (several on that date: their mean). Each bucket
-- keeps its latest date's mean, carried forward to the as-of dates after it.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
x AS (SELECT x.agreement_code AS code, x.criterion,
             t.a[width_bucket(x.assessed_on, t.b) + 1] AS bucket, x.assessed_on,
             avg(x.score) AS score
      FROM ex_ante x JOIN g ON g.code = x.agreement_code CROSS JOIN t
      WHERE x.assessed_on <= t.last
      GROUP BY 1, 2, 3, 4),
b AS (SELECT DISTINCT ON (code, criterion, bucket) code, criterion, bucket, score
      FROM x ORDER BY code, criterion, bucket, assessed_on DESC),
-- n numbers the buckets seen so far: the rows of one n share the latest one
c AS (SELECT k.code, k.criterion, d.asof, b.score,
             count(b.score) OVER (PARTITION BY k.code, k.criterion ORDER BY d.asof) AS n
      FROM (SELECT DISTINCT code, criterion FROM b) k CROSS JOIN d
      LEFT JOIN b ON b.code = k.code AND b.criterion = k.criterion AND b.bucket = d.asof)
SELECT asof, code AS agreement, criterion,
       first_value(score) OVER (PARTITION BY code, criterion, n ORDER BY asof) AS score
FROM c WHERE n > 0
