-- The policy's qualitative evidence recorded on or before the last as-of
-- date, newest first, ties by code (indicators/evidence.c lists each
-- scorecard's own from these rows and counts what was recorded by its end).
-- Evidence never changes a number: no indicator reads it.
SELECT e.code, e.kind, e.recorded_on, e.title, e.summary, e.participants,
       e.agreement_code AS agreement, e.neighbourhood_code AS neighbourhood
FROM evidence e
WHERE e.policy_code = $1::text AND e.recorded_on <= ANY ($2::date[])
ORDER BY e.recorded_on DESC, e.code COLLATE "C"
