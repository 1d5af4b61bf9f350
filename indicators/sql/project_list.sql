-- The projects of the run's agreements defined by the last as-of date, with
-- their budget progress and milestones at that date.
WITH d AS (SELECT max(x) AS asof FROM unnest($2::date[]) x),
f AS (SELECT f.project_code,
             sum(f.amount_eur) FILTER (WHERE f.stage = 'allocated') AS allocated,
             sum(f.amount_eur) FILTER (WHERE f.stage = 'committed') AS committed,
             sum(f.amount_eur) FILTER (WHERE f.stage = 'spent') AS spent
      FROM finance f, d WHERE f.booked_on <= d.asof GROUP BY 1),
m AS (SELECT m.project_code, count(*) AS total,
             count(*) FILTER (WHERE m.due_on <= d.asof) AS due,
             count(*) FILTER (WHERE m.due_on <= d.asof AND m.achieved_on <= m.due_on)
               AS on_time
      FROM milestone m, d GROUP BY 1)
SELECT j.agreement_code AS agreement, j.code, j.title, j.kind, j.defined_on,
       CASE WHEN j.completed_on <= d.asof THEN j.completed_on END AS completed_on,
       coalesce(f.allocated, 0) AS allocated, coalesce(f.committed, 0) AS committed,
       coalesce(f.spent, 0) AS spent, coalesce(m.total, 0) AS milestones,
       coalesce(m.due, 0) AS due, coalesce(m.on_time, 0) AS on_time
FROM agreement a
JOIN d ON a.lab_started_on <= d.asof
JOIN project j ON j.agreement_code = a.code AND j.defined_on <= d.asof
LEFT JOIN f ON f.project_code = j.code
LEFT JOIN m ON m.project_code = j.code
WHERE a.policy_code = $1::text
ORDER BY 1, j.defined_on, j.code COLLATE "C"
