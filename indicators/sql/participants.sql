-- out.participants: distinct persons, not as staff, at meetings held by the
-- date. A person counts in an agreement from their first such meeting in it,
-- and in the policy from the first date they count in an agreement in scope.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
g AS (SELECT a.code, t.a[width_bucket(a.lab_started_on, t.b) + 1] AS lab
      FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
-- each meeting's bucket, computed once per meeting, not per attendee. A
-- subquery kept apart by OFFSET 0 rather than a materialized CTE: the planner
-- sees through it to meeting's statistics (one row per code), so it hashes
-- the meetings and streams attendance past them; on a CTE, whose codes it
-- takes for 200 distinct values, it hashed the millions of attendances
m AS (SELECT * FROM (SELECT m.code AS meeting, g.code, g.lab,
                            t.a[width_bucket(m.held_on, t.b) + 1] AS bucket
                     FROM meeting m JOIN g ON g.code = m.agreement_code CROSS JOIN t
                     WHERE m.held_on <= ANY ($2::date[]) OFFSET 0) m),
-- the bucket of each person's first appearance in each agreement (one pass
-- over attendance)
u AS (SELECT m.code, m.lab, x.person, min(m.bucket) AS bucket
      FROM attendance x JOIN m ON m.meeting = x.meeting_code
      WHERE x.role <> 'staff'
      GROUP BY 1, 2, 3),
-- per agreement; in the policy, from the first appearance in an agreement
-- once that one is in scope; in a neighbourhood, likewise over the
-- agreements that cover it (a person counts once per neighbourhood)
l AS (SELECT 0 AS p, code, bucket, count(*) AS n FROM u GROUP BY 2, 3
      UNION ALL
      SELECT 1, NULL, bucket, count(*)
      FROM (SELECT person, min(greatest(bucket, lab)) AS bucket FROM u GROUP BY 1) v
      GROUP BY 3
      UNION ALL
      SELECT 2, nb, bucket, count(*)
      FROM (SELECT aa.neighbourhood_code AS nb, u.person, min(greatest(u.bucket, u.lab)) AS bucket
            FROM u JOIN agreement_area aa ON aa.agreement_code = u.code GROUP BY 1, 2) v
      GROUP BY 2, 3),
c AS (SELECT p, code, bucket, lead(bucket) OVER w AS until, sum(n) OVER w AS participants
      FROM l WINDOW w AS (PARTITION BY p, code COLLATE "C" ORDER BY bucket))
SELECT c.bucket AS asof, c.until, c.p, c.code AS agreement, c.participants
FROM c
