-- The agreements of the run: those of the policy in scope at the last as-of
-- date, with their dates. $1: the policy; $2: the as-of dates.
WITH d AS (SELECT max(x) AS asof FROM unnest($2::date[]) x)
SELECT a.code, a.title, a.lab_started_on, a.approved_on, a.signed_on, a.closed_on,
       a.published_on
FROM agreement a, d
WHERE a.policy_code = $1::text AND a.lab_started_on <= d.asof
ORDER BY a.code COLLATE "C"
