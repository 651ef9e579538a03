import { Finding, IstioCheck } from '../../../lib';

/** One webhook rule: a valid variant it accepts, an invalid variant it refuses, and where and what it reports. */
export interface RuleCase {
  /** What the rule is. */
  readonly name: string;
  /** Turns the base object into a valid variant that exercises the rule's field (accepted without finding). */
  readonly ok?: (m: any) => void;
  /** Turns the base object into the invalid variant. */
  readonly bad: (m: any) => void;
  /** Expected field path. */
  readonly path: string;
  /** Expected message (a fragment or a pattern). */
  readonly message: string | RegExp;
  /** @default 'error' */
  readonly severity?: 'error' | 'warning';
}

const check = new IstioCheck();

/** The istio check's findings for one object. */
export function findings(manifest: any): Finding[] {
  return check.check([{ file: 'test.yaml', manifest }]);
}

/** Runs a table of cases against copies of `base`. */
export function describeRules(kind: string, base: () => any, cases: readonly RuleCase[]): void {
  describe(`${kind} webhook rules`, () => {
    test('the base object is valid', () => {
      expect(findings(base())).toEqual([]);
    });

    test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      if (c.ok) {
        const ok = base();
        c.ok(ok);
        expect(findings(ok)).toEqual([]);
      }
      const bad = base();
      c.bad(bad);
      const found = findings(bad);
      const match = found.filter((f) => f.path === c.path && (typeof c.message === 'string' ? f.message.includes(c.message) : c.message.test(f.message)));
      if (match.length === 0) throw new Error(`no finding at ${c.path} matching ${c.message}; got:\n${found.map((f) => `  ${f.path}: ${f.message} (${f.severity})`).join('\n')}`);
      expect(match[0]).toMatchObject({ severity: c.severity ?? 'error', check: 'istio', object: expect.stringContaining(`${bad.kind}/`) });
    });
  });
}
