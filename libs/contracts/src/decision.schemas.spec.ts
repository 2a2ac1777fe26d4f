import { createDecisionRequestSchema } from './decision.schemas';

const base = { action: 'isolate', durationSeconds: 600, actor: 'alice' } as const;

describe('createDecisionRequestSchema', () => {
  it('takes pod decisions with a label selector of up to 256 characters', () => {
    const value = `vigil.io/quarantine=${'a'.repeat(60)},app.kubernetes.io/name=${'b'.repeat(63)},tier=${'c'.repeat(63)}`;
    expect(value.length).toBeGreaterThan(200);
    expect(createDecisionRequestSchema.parse({ ...base, scope: 'pod', value })).toMatchObject({ scope: 'pod', value, origin: 'manual', reason: '' });
    expect(createDecisionRequestSchema.safeParse({ ...base, scope: 'pod', value: 'x'.repeat(257) }).success).toBe(false);
  });

  it('keeps ip and range values at 64 characters', () => {
    expect(createDecisionRequestSchema.safeParse({ ...base, action: 'ban', scope: 'range', value: '2001:db8::/64' }).success).toBe(true);
    const long = createDecisionRequestSchema.safeParse({ ...base, action: 'ban', scope: 'ip', value: '1'.repeat(65) });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]).toMatchObject({ path: ['value'] });
    expect(createDecisionRequestSchema.safeParse({ ...base, scope: 'node', value: 'x' }).success).toBe(false);
  });
});
