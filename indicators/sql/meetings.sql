-- out.meetings, out.meeting_hours: meetings held and their hours, by the date.
-- Rows: (asof, p = 0, agreement) for each agreement with a meeting by the
-- date, (asof, p = 1, null) for the policy. See README.md for the shape.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
-- each meeting once, into its bucket
b AS (SELECT m.agreement_code AS code, t.a[width_bucket(m.held_on, t.b) + 1] AS bucket,
             count(*) AS meetings, sum(m.hours) AS hours
      FROM meeting m JOIN g ON g.code = m.agreement_code CROSS JOIN t
      WHERE m.held_on <= t.last
      GROUP BY 1, 2),
-- the buckets cumulated to every as-of date of every agreement
c AS (SELECT g.code, d.asof, g.lab <= d.asof AS in_scope,
             coalesce(sum(b.meetings) OVER w, 0) AS meetings,
             coalesce(sum(b.hours) OVER w, 0) AS hours
      FROM g CROSS JOIN d
      LEFT JOIN b ON b.code = g.code AND b.bucket = d.asof
      WINDOW w AS (PARTITION BY g.code ORDER BY d.asof))
SELECT asof, 0 AS p, code AS agreement, meetings, hours FROM c WHERE meetings > 0
UNION ALL
SELECT asof, 1, NULL, sum(meetings), sum(hours) FROM c WHERE in_scope GROUP BY asof
