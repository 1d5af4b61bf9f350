-- out.projects (defined by the date) and out.projects_completed (completed by
-- the date), in total (all_kinds = 1) and by kind.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
g AS (SELECT a.code, t.a[width_bucket(a.lab_started_on, t.b) + 1] AS lab
      FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
-- each project once: counted as defined from one date, as completed from
-- another (two rows of a UNION ALL: a LATERAL VALUES list of columns is
-- compiled again for every row it follows)
v AS (SELECT g.code, g.lab, j.kind, j.defined_on, j.completed_on
      FROM project j JOIN g ON g.code = j.agreement_code),
b AS (SELECT v.code, v.lab, GROUPING(v.kind) AS all_kinds, v.kind,
             t.a[width_bucket(v.on_date, t.b) + 1] AS bucket,
             sum(v.defined) AS projects, sum(v.completed) AS completed
      FROM (SELECT code, lab, kind, defined_on AS on_date, 1 AS defined, 0 AS completed FROM v
            UNION ALL
            SELECT code, lab, kind, completed_on, 0, 1 FROM v) v CROSS JOIN t
      WHERE v.on_date <= ANY ($2::date[])
      GROUP BY GROUPING SETS ((1, 2, v.kind, 5), (1, 2, 5))),
l AS (SELECT 0 AS p, code, all_kinds, kind, bucket, projects, completed FROM b
      UNION ALL
      SELECT 1, NULL, all_kinds, kind, greatest(bucket, lab), sum(projects), sum(completed)
      FROM b GROUP BY 3, 4, 5
      UNION ALL
      SELECT 2, aa.neighbourhood_code, all_kinds, kind, greatest(bucket, lab), sum(projects),
             sum(completed)
      FROM b JOIN agreement_area aa ON aa.agreement_code = b.code GROUP BY 2, 3, 4, 5),
c AS (SELECT p, code, all_kinds, kind, bucket, lead(bucket) OVER w AS until,
             sum(projects) OVER w AS projects, sum(completed) OVER w AS completed
      FROM l WINDOW w AS (PARTITION BY p, code COLLATE "C", all_kinds,
            kind COLLATE "C" ORDER BY bucket))
SELECT c.bucket AS asof, c.until, c.p, c.code AS agreement, c.all_kinds, c.kind, c.projects, c.completed
FROM c
