-- out.meetings, out.meeting_hours: meetings held and their hours, by the date.
-- Rows: (asof, p = 0, agreement) for each agreement with a meeting by the
-- date, (asof, p = 1, null) for the policy, (asof, p = 2, neighbourhood) for
-- each neighbourhood covered by an agreement of the run. See README.md for the shape.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
g AS (SELECT a.code, t.a[width_bucket(a.lab_started_on, t.b) + 1] AS lab
      FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
-- each meeting once, into its agreement's bucket
b AS (SELECT g.code, g.lab, t.a[width_bucket(m.held_on, t.b) + 1] AS bucket,
             count(*) AS meetings, sum(m.hours) AS hours
      FROM meeting m JOIN g ON g.code = m.agreement_code CROSS JOIN t
      WHERE m.held_on <= ANY ($2::date[])
      GROUP BY 1, 2, 3),
-- the levels: each agreement, the policy, where a bucket counts once its
-- agreement is in scope, and each neighbourhood as the policy over the
-- agreements that cover it
l AS (SELECT 0 AS p, code, bucket, meetings, hours FROM b
      UNION ALL
      SELECT 1, NULL, greatest(bucket, lab), sum(meetings), sum(hours) FROM b GROUP BY 3
      UNION ALL
      SELECT 2, aa.neighbourhood_code, greatest(bucket, lab), sum(meetings), sum(hours)
      FROM b JOIN agreement_area aa ON aa.agreement_code = b.code GROUP BY 2, 3),
-- cumulated over the buckets; each sum holds from its bucket to the next
c AS (SELECT p, code, bucket, lead(bucket) OVER w AS until,
             sum(meetings) OVER w AS meetings, sum(hours) OVER w AS hours
      FROM l WINDOW w AS (PARTITION BY p, code COLLATE "C" ORDER BY bucket))
SELECT c.bucket AS asof, c.until, c.p, c.code AS agreement, c.meetings, c.hours
FROM c
