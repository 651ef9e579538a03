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
      program = this.env.parse(portableRule(rule)) as unknown as Program;
      this.programs.set(rule, program);
    }
    try {
      return program({ self: toCelValue(self) }) === true ? undefined : 'rule evaluated to false';
    } catch (e) {
      return `rule could not be evaluated: ${(e as Error).message.split('\n')[0]}`;
    }
  }
}

/**
 * `rule` in the form the CEL library evaluates: it refuses `has()` of a field of an indexed value
 * (`has(self.matches[0].path)`, which Gateway API's rules use), so that becomes the equivalent
 * map-key test `('path' in self.matches[0])` (JSON objects are CEL maps).
 */
export function portableRule(rule: string): string {
  let out = '';
  let i = 0;
  while (i < rule.length) {
    const at = rule.indexOf('has(', i);
    if (at < 0 || (at > 0 && /[\w.]/.test(rule[at - 1]))) {
      if (at < 0) return out + rule.slice(i);
      out += rule.slice(i, at + 4);
      i = at + 4;
      continue;
    }
    const end = closingParen(rule, at + 3);
    const arg = rule.slice(at + 4, end);
    const field = /^([\s\S]*\])\.([A-Za-z_]\w*)$/.exec(arg.trim());
    out += rule.slice(i, at) + (field && end > 0 ? `('${field[2]}' in ${portableRule(field[1])})` : `has(${portableRule(arg)})`);
    i = end + 1;
  }
  return out;
}

/** Index of the parenthesis closing the one at `open`, skipping string literals. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && --depth === 0) {
      return i;
    }
  }
  return text.length;
}

/** CEL keywords that Kubernetes makes accessible as `__<keyword>__` when they name a property. */
const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** The name by which a rule reads property `key` (Kubernetes' escaping of CEL property names). */
function escapedPropertyName(key: string): string {
  if (CEL_RESERVED.has(key)) return `__${key}__`;
  return key.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

/** JSON to CEL values: integral numbers become CEL ints (BigInt); escaped property names are added. */
function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  // Array.from, not map: values may come from another realm (a VM context, structuredClone in tests),
  // whose arrays the CEL library does not recognize.
  if (Array.isArray(value)) return Array.from(value, toCelValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = toCelValue(v);
      const escaped = escapedPropertyName(k);
      if (escaped !== k) out[escaped] = out[k];
    }
    return out;
  }
  return value;
}
