import { readFile } from 'node:fs/promises';
import { policySchema, type Policy } from '@vigil/contracts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { REMEDIATION_ERROR_CODES, RemediationError } from '../remediation.errors';
import { policyKey } from './policy.set';

// An entry may name only what it changes when a shipped default exists for its key.
const fileSchema = z.object({
  policies: z.array(z.looseObject({ contract: policySchema.shape.contract, attackClass: policySchema.shape.attackClass })).default([]),
});

function fileError(path: string, problems: string[], cause?: unknown): RemediationError {
  return new RemediationError({
    code: REMEDIATION_ERROR_CODES.PolicyFileInvalid,
    message: `policy file ${path} is invalid: ${problems.join('; ')}`,
    kind: 'invalid-input',
    details: { path, problems },
    cause,
  });
}

/**
 * Parses a policy file (YAML, and so also JSON) over the defaults: an entry whose key has a
 * default overrides only the fields it names; a new key must name them all. Every problem
 * is reported at once, so a bad file stops start-up with a complete list.
 */
export function parsePolicyFile(args: { path: string; text: string; defaults: readonly Policy[] }): Policy[] {
  let raw: unknown;
  try {
    raw = parseYaml(args.text) ?? {};
  } catch (cause) {
    throw fileError(args.path, [cause instanceof Error ? cause.message : String(cause)], cause);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw fileError(args.path, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const defaults = new Map(args.defaults.map((p) => [policyKey(p), p]));
  const problems: string[] = [];
  const policies: Policy[] = [];
  parsed.data.policies.forEach((entry, index) => {
    const merged = policySchema.safeParse({ ...defaults.get(policyKey(entry)), ...entry });
    if (merged.success) policies.push(merged.data);
    else problems.push(...merged.error.issues.map((i) => `policies.${index} (${entry.contract}/${entry.attackClass}).${i.path.join('.')}: ${i.message}`));
  });
  if (problems.length > 0) throw fileError(args.path, problems);
  return policies;
}

export async function loadPolicyFile(path: string, defaults: readonly Policy[]): Promise<Policy[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw fileError(path, [`cannot read: ${cause instanceof Error ? cause.message : String(cause)}`], cause);
  }
  return parsePolicyFile({ path, text, defaults });
}
