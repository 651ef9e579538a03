import { Environment } from '@marcbachmann/cel-js';

/** A parsed URL, as returned by the Kubernetes CEL `url()` function. */
class KubernetesUrl {
  constructor(public readonly url: URL) {}
}

/**
 * A CEL environment with the Kubernetes extensions the upstream CRDs use on top of standard CEL
 * (`url(...).getScheme()` and friends; `duration`, `matches`, macros are standard).
 */
function kubernetesCelEnvironment(): Environment {
  return new Environment({ unlistedVariablesAreDyn: true })
    .registerType('URL', KubernetesUrl)
    .registerFunction('url(string): URL', (s: string) => new KubernetesUrl(new URL(s)))
    .registerFunction('isURL(string): bool', (s: string) => URL.canParse(s))
    .registerFunction('URL.getScheme(): string', (u: KubernetesUrl) => u.url.protocol.replace(/:$/, ''))
    .registerFunction('URL.getHost(): string', (u: KubernetesUrl) => u.url.host)
    .registerFunction('URL.getHostname(): string', (u: KubernetesUrl) => u.url.hostname)
    .registerFunction('URL.getEscapedPath(): string', (u: KubernetesUrl) => u.url.pathname);
}

type Program = (context: Record<string, unknown>) => unknown;

/** Compiles and caches CEL rules; one instance serves every CRD. */
export class CelEvaluator {
  private readonly env = kubernetesCelEnvironment();
  private readonly programs = new Map<string, Program>();

  /**
   * Evaluates a validation rule against `self`. Returns undefined when it holds, else the reason
   * (the rule failed, or could not be evaluated).
   */
  public check(rule: string, self: unknown): string | undefined {
    let program = this.programs.get(rule);
    if (!program) {
      program = this.env.parse(rule) as unknown as Program;
      this.programs.set(rule, program);
    }
    try {
      return program({ self: toCelValue(self) }) === true ? undefined : 'rule evaluated to false';
    } catch (e) {
      return `rule could not be evaluated: ${(e as Error).message.split('\n')[0]}`;
    }
  }
}

/** JSON to CEL values: integral numbers become CEL ints (BigInt). */
function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  // Array.from, not map: values may come from another realm (a VM context, structuredClone in tests),
  // whose arrays the CEL library does not recognize.
  if (Array.isArray(value)) return Array.from(value, toCelValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCelValue(v)]));
  }
  return value;
}
