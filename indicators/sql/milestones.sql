-- eft.milestones_on_time: milestones due by the date, and how many of them
-- were achieved by their due date.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
g AS (SELECT a.code, t.a[width_bucket(a.lab_started_on, t.b) + 1] AS lab
      FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
b AS (SELECT g.code, g.lab, t.a[width_bucket(m.due_on, t.b) + 1] AS bucket,
             count(*) AS due, count(*) FILTER (WHERE m.achieved_on <= m.due_on) AS on_time
      FROM milestone m JOIN project j ON j.code = m.project_code
      JOIN g ON g.code = j.agreement_code CROSS JOIN t
      WHERE m.due_on <= ANY ($2::date[])
      GROUP BY 1, 2, 3),
l AS (SELECT 0 AS p, code, bucket, due, on_time FROM b
      UNION ALL
      SELECT 1, NULL, greatest(bucket, lab), sum(due), sum(on_time) FROM b GROUP BY 3
      UNION ALL
      SELECT 2, aa.neighbourhood_code, greatest(bucket, lab), sum(due), sum(on_time)
      FROM b JOIN agreement_area aa ON aa.agreement_code = b.code GROUP BY 2, 3),
c AS (SELECT p, code, bucket, lead(bucket) OVER w AS until,
             sum(due) OVER w AS due, sum(on_time) OVER w AS on_time
      FROM l WINDOW w AS (PARTITION BY p, code COLLATE "C" ORDER BY bucket))
SELECT c.bucket AS asof, c.until, c.p, c.code AS agreement, c.due, c.on_time
FROM c
