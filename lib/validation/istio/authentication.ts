import { checkDuration, checkWorkloadSelector, entriesOf, isSet, itemsOf, keyPath, Reporter } from './common';
import { checkPolicyTargets } from './policy-target';

const MTLS_MODES = new Set(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']);
const TOKEN = /^[-_A-Za-z0-9]+$/;

/** Reports what istiod's ValidatePeerAuthentication refuses. */
export function checkPeerAuthentication(r: Reporter, spec: any): void {
  const portLevel = spec.portLevelMtls;
  const emptySelector = entriesOf(spec.selector?.matchLabels).length === 0;
  if (isSet(portLevel)) {
    const ports = entriesOf(portLevel);
    if (emptySelector && ports.length > 0) r.error('spec.portLevelMtls', 'mesh/namespace peer authentication cannot have port level mTLS: add a selector');
    if (ports.length === 0) r.error('spec.portLevelMtls', 'port level mTLS, if defined, must have at least one element');
    for (const [port, setting] of ports) {
      const n = Number(port);
      if (!/^\d+$/.test(port) || n < 1 || n > 65535) r.error(keyPath('spec.portLevelMtls', port), `port ${JSON.stringify(port)} must be in range 1..65535`);
      if (isSet(setting?.mode) && !MTLS_MODES.has(setting.mode)) r.error(`${keyPath('spec.portLevelMtls', port)}.mode`, `unknown mTLS mode ${JSON.stringify(setting.mode)} (${[...MTLS_MODES].join(', ')})`);
    }
  }
  if (isSet(spec.mtls?.mode) && !MTLS_MODES.has(spec.mtls.mode)) r.error('spec.mtls.mode', `unknown mTLS mode ${JSON.stringify(spec.mtls.mode)} (${[...MTLS_MODES].join(', ')})`);
  checkWorkloadSelector(r, 'spec.selector', spec.selector, 'matchLabels');
}

const jwksUriProblems = new Map<string, string | null>();

/** What is wrong with a JWKS URI (istiod: an http or https URL), or `undefined`. Remembered: every service repeats the issuer's URI. */
export function jwksUriProblem(uri: string): string | undefined {
  let known = jwksUriProblems.get(uri);
  if (known === undefined) {
    if (jwksUriProblems.size >= 1000) jwksUriProblems.clear();
    known = parseJwksUri(uri) ?? null;
    jwksUriProblems.set(uri, known);
  }
  return known ?? undefined;
}

function parseJwksUri(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `jwksUri ${JSON.stringify(uri)} is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `jwksUri scheme ${JSON.stringify(url.protocol.replace(/:$/, ''))} is not supported (http or https)`;
  if (url.hostname === '') return `jwksUri ${JSON.stringify(uri)} has no host`;
  return undefined;
}

/** Reports what istiod's ValidateRequestAuthentication refuses. */
export function checkRequestAuthentication(r: Reporter, spec: any): void {
  checkPolicyTargets(r, spec);
  itemsOf(spec.jwtRules).forEach((rule, i) => {
    const p = `spec.jwtRules[${i}]`;
    if (!isSet(rule)) return;
    if (!rule.issuer) r.error(`${p}.issuer`, 'issuer must be set');
    itemsOf(rule.audiences).forEach((a, j) => {
      if (!a) r.error(`${p}.audiences[${j}]`, 'audience must be a non-empty string');
    });
    if (rule.jwksUri) {
      const problem = jwksUriProblem(rule.jwksUri);
      if (problem) r.error(`${p}.jwksUri`, problem);
    }
    if (rule.jwks) {
      if (rule.jwksUri) r.error(`${p}.jwks`, 'only one of jwks and jwksUri may be set');
      let keys: unknown;
      try {
        keys = JSON.parse(rule.jwks)?.keys;
      } catch {
        keys = undefined;
      }
      if (!Array.isArray(keys)) r.error(`${p}.jwks`, 'jwks parse error: expected a JSON Web Key Set ({"keys": [...]})');
    }
    itemsOf(rule.fromHeaders).forEach((h, j) => {
      const hp = `${p}.fromHeaders[${j}].name`;
      if (!h?.name) r.error(hp, 'location header name must be a non-empty string');
      else if (!TOKEN.test(h.name)) r.error(hp, `header name ${JSON.stringify(h.name)} is not a valid header name`);
    });
    itemsOf(rule.fromParams).forEach((q, j) => {
      if (!q) r.error(`${p}.fromParams[${j}]`, 'location query must be a non-empty string');
    });
    itemsOf(rule.fromCookies).forEach((c, j) => {
      if (!c) r.error(`${p}.fromCookies[${j}]`, 'cookie name must be a non-empty string');
    });
    itemsOf(rule.outputClaimToHeaders).forEach((o, j) => {
      const op = `${p}.outputClaimToHeaders[${j}]`;
      if (!o?.claim || !o?.header) r.error(op, 'outputClaimToHeaders header and claim must be non-empty strings');
      else if (!TOKEN.test(o.header)) r.error(`${op}.header`, `header name ${JSON.stringify(o.header)} is not a valid header name`);
    });
    checkDuration(r, `${p}.timeout`, rule.timeout);
  });
}
