import * as crypto from 'crypto';

/** A short, stable content hash (first 10 hex digits of SHA-256), as used in ConfigMap names. */
export function contentHash(content: string): string {
  return crypto.createHash('sha256').update(content).digest('hex').slice(0, 10);
}

/** JSON with object keys sorted at every level, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
      : v,
  );
}

const digests = new WeakMap<object, string>();

/**
 * SHA-1 (base64) of a rendered manifest's JSON, remembered per object: the schema check and the
 * YAML cache of one synthesis key on the same digest, so it is computed once.
 */
export function manifestDigest(manifest: object): string {
  let digest = digests.get(manifest);
  if (digest === undefined) {
    digest = jsonDigest(JSON.stringify(manifest));
    digests.set(manifest, digest);
  }
  return digest;
}

/**
 * {@link manifestDigest} of the manifest whose `JSON.stringify` is `json` (the string, or its UTF-8):
 * SHA-1, base64. One-shot `crypto.hash` (Node ≥ 20.12) where there is one: it skips building a
 * Hash object, which at 13,000 small objects was most of the cost.
 */
export const jsonDigest: (json: string | Uint8Array) => string = typeof crypto.hash === 'function'
  ? (json) => crypto.hash('sha1', json, 'base64')
  : (json) => crypto.createHash('sha1').update(json).digest('base64');
