-- eft.milestones_on_time: milestones due by the date, and how many of them
-- were achieved by their due date.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
b AS (SELECT j.agreement_code AS code, t.a[width_bucket(m.due_on, t.b) + 1] AS bucket,
             count(*) AS due, count(*) FILTER (WHERE m.achieved_on <= m.due_on) AS on_time
      FROM milestone m JOIN project j ON j.code = m.project_code
      JOIN g ON g.code = j.agreement_code CROSS JOIN t
      WHERE m.due_on <= t.last
      GROUP BY 1, 2),
c AS (SELECT g.code, d.asof, g.lab <= d.asof AS in_scope,
             coalesce(sum(b.due) OVER w, 0) AS due, coalesce(sum(b.on_time) OVER w, 0) AS on_time
      FROM g CROSS JOIN d
      LEFT JOIN b ON b.code = g.code AND b.bucket = d.asof
      WINDOW w AS (PARTITION BY g.code ORDER BY d.asof))
SELECT asof, 0 AS p, code AS agreement, due, on_time FROM c WHERE due > 0
UNION ALL
SELECT asof, 1, NULL, sum(due), sum(on_time) FROM c WHERE in_scope GROUP BY asof
