-- The ex-ante block: per agreement and criterion, the score of the latest
-- assessment by the date (several on that date: their mean). Each bucket
-- keeps its latest date's mean, carried forward to the as-of dates after it.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
x AS (SELECT x.agreement_code AS code, x.criterion,
             t.a[width_bucket(x.assessed_on, t.b) + 1] AS bucket, x.assessed_on,
             avg(x.score) AS score
      FROM ex_ante x JOIN g ON g.code = x.agreement_code CROSS JOIN t
      WHERE x.assessed_on <= ANY ($2::date[])
      GROUP BY 1, 2, 3, 4),
b AS (SELECT DISTINCT ON (code, criterion, bucket) code, criterion, bucket, score
      FROM x ORDER BY code, criterion, bucket, assessed_on DESC),
-- each bucket's score holds until the next bucket's
c AS (SELECT code, criterion, bucket, score,
             lead(bucket) OVER (PARTITION BY code COLLATE "C",
                   criterion COLLATE "C" ORDER BY bucket) AS until
      FROM b)
SELECT c.bucket AS asof, c.until, c.code AS agreement, c.criterion, c.score
FROM c
