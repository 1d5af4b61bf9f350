-- org.*: organisational events by the date, summed by kind, and the distinct
-- departments they involve. The policy counts the events of the agreements
-- in scope and its own, which belong to no agreement and always count. A
-- department counts from its first event.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b
      FROM d),
g AS (SELECT a.code, t.a[width_bucket(a.lab_started_on, t.b) + 1] AS lab
      FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= ANY ($2::date[])),
-- the policy's events, each with the bucket from which it counts for its
-- agreement (bucket) and for the policy (bucket_p: greatest ignores the null
-- lab of the policy's own events, code null, which always count)
e AS (SELECT g.code, e.kind, e.quantity, e.department,
             t.a[width_bucket(e.occurred_on, t.b) + 1] AS bucket,
             greatest(t.a[width_bucket(e.occurred_on, t.b) + 1], g.lab) AS bucket_p
      FROM org_event e LEFT JOIN g ON g.code = e.agreement_code CROSS JOIN t
      WHERE e.policy_code = $1::text AND e.occurred_on <= ANY ($2::date[])
        AND (e.agreement_code IS NULL OR g.code IS NOT NULL)),
-- each event once per level; a department once per level, from its first event
k AS (SELECT v.p, v.code, v.bucket,
             sum(e.quantity) FILTER (WHERE e.kind = 'new_solution') AS new_solutions,
             sum(e.quantity) FILTER (WHERE e.kind = 'process_change') AS process_changes,
             sum(e.quantity) FILTER (WHERE e.kind = 'new_method') AS new_methods,
             sum(e.quantity) FILTER (WHERE e.kind = 'training') AS staff_trained,
             0 AS departments
      FROM e CROSS JOIN LATERAL (VALUES (0, e.code, e.bucket), (1, NULL, e.bucket_p))
        v(p, code, bucket)
      WHERE v.p = 1 OR e.code IS NOT NULL
      GROUP BY 1, 2, 3
      UNION ALL
      -- a neighbourhood: the events of the agreements that cover it, never
      -- the policy's own
      SELECT 2, aa.neighbourhood_code, e.bucket_p,
             sum(e.quantity) FILTER (WHERE e.kind = 'new_solution'),
             sum(e.quantity) FILTER (WHERE e.kind = 'process_change'),
             sum(e.quantity) FILTER (WHERE e.kind = 'new_method'),
             sum(e.quantity) FILTER (WHERE e.kind = 'training'),
             0
      FROM e JOIN agreement_area aa ON aa.agreement_code = e.code
      GROUP BY 2, 3
      UNION ALL
      SELECT p, code, bucket, NULL, NULL, NULL, NULL, count(*)
      FROM (SELECT 0 AS p, code, min(bucket) AS bucket FROM e WHERE code IS NOT NULL
            GROUP BY code, department
            UNION ALL
            SELECT 1, NULL, min(bucket_p) FROM e GROUP BY department
            UNION ALL
            SELECT 2, aa.neighbourhood_code, min(e.bucket_p)
            FROM e JOIN agreement_area aa ON aa.agreement_code = e.code
            GROUP BY aa.neighbourhood_code, e.department) x
      GROUP BY 1, 2, 3),
l AS (SELECT p, code, bucket,
             coalesce(sum(new_solutions), 0) AS new_solutions,
             coalesce(sum(process_changes), 0) AS process_changes,
             coalesce(sum(new_methods), 0) AS new_methods,
             coalesce(sum(staff_trained), 0) AS staff_trained,
             sum(departments) AS departments
      FROM k GROUP BY 1, 2, 3),
c AS (SELECT p, code, bucket, lead(bucket) OVER w AS until,
             sum(new_solutions) OVER w AS new_solutions,
             sum(process_changes) OVER w AS process_changes,
             sum(new_methods) OVER w AS new_methods,
             sum(staff_trained) OVER w AS staff_trained,
             sum(departments) OVER w AS departments
      FROM l WINDOW w AS (PARTITION BY p, code COLLATE "C" ORDER BY bucket))
SELECT c.bucket AS asof, c.until, c.p, c.code AS agreement, c.new_solutions, c.process_changes, c.new_methods,
       c.staff_trained, c.departments
FROM c
