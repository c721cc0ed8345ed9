import { defaultPolicy, type Policy, Policy as PolicySchema } from '@hostlink/protocol';

/**
 * The account's policy from its stored rules (JSON text, read with the host in one query): the default
 * when none is stored or the stored one no longer parses (fail to the schema, as before).
 */
export function accountPolicy(storedRules: string | null): Policy {
  if (storedRules === null) return defaultPolicy;
  let rules: unknown;
  try {
    rules = JSON.parse(storedRules);
  } catch {
    return defaultPolicy;
  }
  const parsed = PolicySchema.safeParse(rules);
  return parsed.success ? parsed.data : defaultPolicy;
}
