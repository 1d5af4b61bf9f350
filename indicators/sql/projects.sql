-- out.projects (defined by the date) and out.projects_completed (completed by
-- the date), in total (all_kinds = 1) and by kind.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
-- each project once: counted as defined from one date, as completed from another
b AS (SELECT j.agreement_code AS code, j.kind, t.a[width_bucket(v.on_date, t.b) + 1] AS bucket,
             sum(v.defined) AS projects, sum(v.completed) AS completed
      FROM project j JOIN g ON g.code = j.agreement_code CROSS JOIN t
      CROSS JOIN LATERAL (VALUES (j.defined_on, 1, 0), (j.completed_on, 0, 1))
        v(on_date, defined, completed)
      GROUP BY 1, 2, 3),
c AS (SELECT k.code, k.kind, d.asof, k.lab <= d.asof AS in_scope,
             coalesce(sum(b.projects) OVER w, 0) AS projects,
             coalesce(sum(b.completed) OVER w, 0) AS completed
      FROM (SELECT DISTINCT b.code, b.kind, g.lab FROM b JOIN g USING (code)) k CROSS JOIN d
      LEFT JOIN b ON b.code = k.code AND b.kind = k.kind AND b.bucket = d.asof
      WINDOW w AS (PARTITION BY k.code, k.kind ORDER BY d.asof))
SELECT asof, 0 AS p, code AS agreement, GROUPING(kind) AS all_kinds, kind,
       sum(projects) AS projects, sum(completed) AS completed
FROM c GROUP BY GROUPING SETS ((asof, code, kind), (asof, code))
UNION ALL
SELECT asof, 1, NULL, GROUPING(kind), kind, sum(projects), sum(completed)
FROM c WHERE in_scope GROUP BY GROUPING SETS ((asof, kind), (asof))
