-- The milestones of the projects of project_list.sql, achieved dates shown
-- only when on or before the last as-of date.
WITH d AS (SELECT max(x) AS asof FROM unnest($2::date[]) x)
SELECT j.agreement_code AS agreement, m.project_code, m.title, m.due_on,
       CASE WHEN m.achieved_on <= d.asof THEN m.achieved_on END AS achieved_on
FROM agreement a
JOIN d ON a.lab_started_on <= d.asof
JOIN project j ON j.agreement_code = a.code AND j.defined_on <= d.asof
JOIN milestone m ON m.project_code = j.code
WHERE a.policy_code = $1::text
ORDER BY 1, m.due_on, m.code COLLATE "C"
