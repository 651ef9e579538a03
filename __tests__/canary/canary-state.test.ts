import { CanaryOperationError, describe as describeState, nextStep, promote, rollback, ServiceCanaryState, setWeights } from '../../lib';

const running: ServiceCanaryState = { stable: { imageTag: 'v1.2.3', imageDigest: `sha256:${'a'.repeat(64)}` }, canary: { imageTag: 'v1.3.0', weight: 10 } };

describe('canary state operations', () => {
  test('next walks 10 → 25 → 50 → 75 → 100, then asks for promote', () => {
    let s = running;
    const seen = [];
    for (let i = 0; i < 4; i++) {
      s = nextStep('user-service', s);
      seen.push(s.canary!.weight);
    }
    expect(seen).toEqual([25, 50, 75, 100]);
    expect(() => nextStep('user-service', s)).toThrow('user-service canary is at 100%, the end of the plan (10 → 25 → 50 → 75 → 100); run promote');
  });

  test('a configurable plan', () => {
    expect(nextStep('x', running, [5, 20, 50, 100]).canary!.weight).toBe(20);
  });

  test('set weights: integers summing to 100', () => {
    expect(setWeights('x', running, 75, 25).canary!.weight).toBe(25);
    expect(() => setWeights('x', running, 90, 20)).toThrow('weights must sum to 100, got 90 + 20 = 110');
    expect(() => setWeights('x', running, 90.5, 9.5)).toThrow(/integer from 0 to 100/);
    expect(() => setWeights('x', { stable: running.stable }, 90, 10)).toThrow(CanaryOperationError);
  });

  test('promote: stable takes the canary image, canary removed', () => {
    expect(promote('x', running)).toEqual({ stable: { imageTag: 'v1.3.0', imageDigest: undefined } });
  });

  test('rollback: 0 % and marked; next refused until weights are set again', () => {
    const r = rollback('x', running);
    expect(r.canary).toEqual({ imageTag: 'v1.3.0', weight: 0, rolledBack: true });
    expect(() => nextStep('x', r)).toThrow(/rolled back/);
    expect(() => promote('x', r)).toThrow(/cannot be promoted/);
    expect(setWeights('x', r, 90, 10).canary).toEqual({ imageTag: 'v1.3.0', weight: 10, rolledBack: undefined });
  });

  test('status line', () => {
    expect(describeState('user-service', running)).toBe('user-service: stable v1.2.3 90%, canary v1.3.0 10% (plan 10 → 25 → 50 → 75 → 100; next: 25%)');
    expect(describeState('user-service', { stable: running.stable })).toBe('user-service: stable v1.2.3 100%, no canary');
  });
});
