-- targets.csv of the policy.
SELECT indicator, level, target, amber_ratio FROM target
WHERE policy_code = $1::text ORDER BY 1, 2
