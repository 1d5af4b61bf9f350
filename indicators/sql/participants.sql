-- out.participants: distinct persons, not as staff, at meetings held by the
-- date. A person counts in an agreement from their first such meeting in it,
-- and in the policy from the first date they count in an agreement in scope.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
-- first appearance of each person in each agreement (one pass over attendance)
u AS (SELECT m.agreement_code AS code, x.person, min(m.held_on) AS first_on
      FROM meeting m JOIN g ON g.code = m.agreement_code CROSS JOIN t
      JOIN attendance x ON x.meeting_code = m.code AND x.role <> 'staff'
      WHERE m.held_on <= t.last
      GROUP BY 1, 2),
-- first appearance in the policy: in an agreement, once that one is in scope
v AS (SELECT u.person, min(greatest(u.first_on, g.lab)) AS first_on
      FROM u JOIN g USING (code) GROUP BY 1),
b AS (SELECT u.code, t.a[width_bucket(u.first_on, t.b) + 1] AS bucket, count(*) AS n
      FROM u CROSS JOIN t GROUP BY 1, 2),
bp AS (SELECT t.a[width_bucket(v.first_on, t.b) + 1] AS bucket, count(*) AS n
       FROM v CROSS JOIN t GROUP BY 1),
c AS (SELECT g.code, d.asof, coalesce(sum(b.n) OVER w, 0) AS participants
      FROM g CROSS JOIN d
      LEFT JOIN b ON b.code = g.code AND b.bucket = d.asof
      WINDOW w AS (PARTITION BY g.code ORDER BY d.asof))
SELECT asof, 0 AS p, code AS agreement, participants FROM c WHERE participants > 0
UNION ALL
SELECT d.asof, 1, NULL, coalesce(sum(bp.n) OVER (ORDER BY d.asof), 0)
FROM d LEFT JOIN bp ON bp.bucket = d.asof
