-- out.projects (defined by the date) and out.projects_completed (completed by
-- the date), in total (all_kinds = 1) and by kind.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
-- each project once: counted as defined from one date, as completed from another
b AS (SELECT j.agreement_code AS code, GROUPING(j.kind) AS all_kinds, j.kind,
             t.a[width_bucket(v.on_date, t.b) + 1] AS bucket,
             sum(v.defined) AS projects, sum(v.completed) AS completed
      FROM project j JOIN g ON g.code = j.agreement_code CROSS JOIN t
      CROSS JOIN LATERAL (VALUES (j.defined_on, 1, 0), (j.completed_on, 0, 1))
        v(on_date, defined, completed)
      WHERE v.on_date <= t.last
      GROUP BY GROUPING SETS ((1, j.kind, 4), (1, 4))),
-- cumulated over the buckets; each sum holds from its bucket to the next
c AS (SELECT code, all_kinds, kind, bucket, lead(bucket) OVER w AS until,
             sum(projects) OVER w AS projects, sum(completed) OVER w AS completed
      FROM b WINDOW w AS (PARTITION BY code, all_kinds, kind ORDER BY bucket)),
e AS (SELECT d.asof, c.code, g.lab <= d.asof AS in_scope, c.all_kinds, c.kind, c.projects,
             c.completed
      FROM c JOIN d ON d.asof >= c.bucket AND (c.until IS NULL OR d.asof < c.until)
      JOIN g USING (code))
SELECT asof, 0 AS p, code AS agreement, all_kinds, kind, projects, completed FROM e
UNION ALL
SELECT asof, 1, NULL, all_kinds, kind, sum(projects), sum(completed)
FROM e WHERE in_scope GROUP BY asof, all_kinds, kind
