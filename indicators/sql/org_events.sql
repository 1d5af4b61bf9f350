-- org.*: organisational events by the date, summed by kind, and the distinct
-- departments they involve. The policy counts the events of the agreements
-- in scope and its own, which belong to no agreement and always count (key
-- '' below: no code is empty). A department counts from its first event.
WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),
t AS (SELECT array_agg(asof ORDER BY asof) AS a, array_agg(asof + 1 ORDER BY asof) AS b,
             max(asof) AS last FROM d),
g AS (SELECT a.code, a.lab_started_on AS lab FROM agreement a, t
      WHERE a.policy_code = $1::text AND a.lab_started_on <= t.last),
-- the entities that own events: the agreements and the policy itself
o AS (SELECT code AS key, lab FROM g UNION ALL SELECT '', NULL),
e AS (SELECT coalesce(e.agreement_code, '') AS key, o.lab, e.occurred_on, e.kind, e.quantity,
             e.department, t.a[width_bucket(e.occurred_on, t.b) + 1] AS bucket
      FROM org_event e JOIN o ON o.key = coalesce(e.agreement_code, '') CROSS JOIN t
      WHERE e.policy_code = $1::text AND e.occurred_on <= t.last),
b AS (SELECT key, bucket, count(*) AS events,
             coalesce(sum(quantity) FILTER (WHERE kind = 'new_solution'), 0) AS new_solutions,
             coalesce(sum(quantity) FILTER (WHERE kind = 'process_change'), 0)
               AS process_changes,
             coalesce(sum(quantity) FILTER (WHERE kind = 'new_method'), 0) AS new_methods,
             coalesce(sum(quantity) FILTER (WHERE kind = 'training'), 0) AS staff_trained
      FROM e GROUP BY 1, 2),
-- first event of each department per owner, and in the policy (in scope)
bd AS (SELECT x.key, t.a[width_bucket(x.first_on, t.b) + 1] AS bucket, count(*) AS departments
       FROM (SELECT key, department, min(occurred_on) AS first_on FROM e GROUP BY 1, 2) x
       CROSS JOIN t GROUP BY 1, 2),
bp AS (SELECT t.a[width_bucket(x.first_on, t.b) + 1] AS bucket, count(*) AS departments
       FROM (SELECT department, min(greatest(occurred_on, coalesce(lab, occurred_on)))
               AS first_on FROM e GROUP BY 1) x
       CROSS JOIN t GROUP BY 1),
c AS (SELECT o.key, d.asof, o.lab IS NULL OR o.lab <= d.asof AS in_scope,
             coalesce(sum(b.events) OVER w, 0) AS events,
             coalesce(sum(b.new_solutions) OVER w, 0) AS new_solutions,
             coalesce(sum(b.process_changes) OVER w, 0) AS process_changes,
             coalesce(sum(b.new_methods) OVER w, 0) AS new_methods,
             coalesce(sum(b.staff_trained) OVER w, 0) AS staff_trained,
             coalesce(sum(bd.departments) OVER w, 0) AS departments
      FROM o CROSS JOIN d
      LEFT JOIN b ON b.key = o.key AND b.bucket = d.asof
      LEFT JOIN bd ON bd.key = o.key AND bd.bucket = d.asof
      WINDOW w AS (PARTITION BY o.key ORDER BY d.asof)),
cp AS (SELECT d.asof, coalesce(sum(bp.departments) OVER (ORDER BY d.asof), 0) AS departments
       FROM d LEFT JOIN bp ON bp.bucket = d.asof)
SELECT asof, 0 AS p, key AS agreement, new_solutions, process_changes, new_methods,
       staff_trained, departments
FROM c WHERE key <> '' AND events > 0
UNION ALL
SELECT c.asof, 1, NULL, sum(c.new_solutions), sum(c.process_changes), sum(c.new_methods),
       sum(c.staff_trained), cp.departments
FROM c JOIN cp USING (asof) WHERE c.in_scope GROUP BY c.asof, cp.departments
