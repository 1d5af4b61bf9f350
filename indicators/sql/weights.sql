-- weights.csv of the policy.
SELECT item, weight FROM weight WHERE policy_code = $1::text ORDER BY 1
