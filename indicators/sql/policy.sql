-- The policy's settings and the data snapshot: the latest import batch.
-- $1: the policy's code.
SELECT p.code, p.name, p.started_on, p.locale, p.volunteer_hour_value_eur, p.min_cell,
       b.id AS batch_id,
       to_char(b.imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS batch_at
FROM policy p
LEFT JOIN (SELECT id, imported_at FROM batch ORDER BY id DESC LIMIT 1) b ON true
WHERE p.code = $1::text
