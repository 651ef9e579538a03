/*
 * Secrets recognized by their value, wherever they are written: a password inside a connection
 * URL, a cloud or Git host token, a private key, a JWT, a `--db-password=...` flag. Modelled on the
 * rules of gitleaks (https://github.com/gitleaks/gitleaks, config/gitleaks.toml): each rule has
 * keywords, cheap substring tests that decide whether its regex runs at all, and a regex that
 * finds the secret itself, so that it can be masked. Used by the constructs (plaintext guard) and
 * by the `policy/secret-value` check of the rendered output: one rule set.
 */

/** Names that say a value is a credential: DB_PASSWORD, jwt.secret, API_KEY, ... */
const SECRET_LIKE_NAME = /(^|[_.-])(PASS(WORD|WD)?|SECRET|TOKEN|API[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIALS?|AUTH[_-]?KEY|DSN)($|[_.-])/i;

/** True when a key's name says it holds a credential (DB_PASSWORD, jwt.secret, API_KEY, ...). */
export function isSecretLikeName(name: string): boolean {
  return SECRET_LIKE_NAME.test(name);
}

/**
 * Names whose last word is a credential (DB_PASSWORD, jwt.secret, API_KEY), as opposed to names
 * about one (TOKEN_URL, API_KEY_HEADER, SECRET_NAME): a literal value under such a name in the
 * output is a secret. The constructs refuse the wider {@link isSecretLikeName}.
 */
const CREDENTIAL_NAME = /(^|[_.-])(PASS(WORD|WD)?|SECRET|TOKEN|API[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIALS?|AUTH[_-]?KEY|DSN)$/i;

/** One rule: what it finds, and how. */
export interface SecretValueRule {
  /** Stable identifier, reported with each finding, e.g. `url-credentials`. */
  readonly id: string;
  /** What was found, for messages. */
  readonly description: string;
  /** Lower-case substrings of which the value must contain one for the rule to run on it alone. */
  readonly keywords: readonly string[];
  /** The rule also runs on every value given under a name (an environment variable, a ConfigMap key). @default false */
  readonly usesName?: boolean;
  /** The spans of the secrets in `value` (the part to mask), none when there is none. */
  find(value: string, name: string | undefined): SecretSpan[];
}

/** Where a secret is, inside the string that holds it. */
export interface SecretSpan {
  /** Offset of its first character. */
  readonly start: number;
  /** Offset after its last character. */
  readonly end: number;
}

/** A secret found in a value. */
export interface SecretMatch extends SecretSpan {
  /** The rule that found it. */
  readonly rule: SecretValueRule;
}

/**
 * Values that stand for a secret rather than being one: references resolved at run time
 * (`$(DB_PASSWORD)`, `${DB_PASSWORD}`, `$DB_PASSWORD`), template markers (`{{ .password }}`,
 * `<password>`, `%PASSWORD%`), masks (`****`, `xxxxxxxx`) and the usual stand-in words.
 */
const PLACEHOLDER = new RegExp('^(?:'
  + '\\$\\([^)]*\\)|\\$\\{[^}]*\\}|\\$[A-Za-z_][A-Za-z0-9_]*'
  + '|\\{\\{.*\\}\\}|<[^<>]*>|%[A-Za-z_][A-Za-z0-9_]*%|\\[[^\\]]*\\]'
  + '|(.)\\1*'
  + '|(?:redacted|placeholder|example|dummy|none|null|nil|true|false|undefined|empty)'
  + ')$', 'i');

/** True when `value` stands for a secret instead of being one (see {@link PLACEHOLDER}). */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  return trimmed === '' || PLACEHOLDER.test(trimmed) || trimmed.includes('$(') || trimmed.includes('${');
}

/** A path on disk names where a secret is read from, not the secret (`--password-file`-like usage). */
function isPath(value: string): boolean {
  return value.startsWith('/') || value.startsWith('./');
}

/**
 * A rule from a global regex: group `group` is the secret (0: the whole match); matches for
 * which `ignore` says so (placeholders, documentation examples) are skipped.
 */
function regexRule(id: string, description: string, keywords: string[], regex: RegExp, group = 0,
  ignore: (secret: string) => boolean = isPlaceholder): SecretValueRule {
  if (!regex.global) throw new Error(`rule ${id}: the regex must be global`);
  // `d`: the offsets of the group itself, so that exactly the secret is masked.
  const withIndices = regex.hasIndices ? regex : new RegExp(regex.source, `${regex.flags}d`);
  return {
    id, description, keywords,
    find(value) {
      const spans: SecretSpan[] = [];
      withIndices.lastIndex = 0;
      for (let m = withIndices.exec(value); m !== null; m = withIndices.exec(value)) {
        const secret = m[group];
        const at = m.indices?.[group];
        if (secret === undefined || secret === '' || !at || ignore(secret)) continue;
        spans.push({ start: at[0], end: at[1] });
      }
      return spans;
    },
  };
}

/** The words of a generic credential flag or assignment (`--db-password`, `spring.datasource.password=`). */
const CREDENTIAL_WORD = '(?:password|passwd|pwd|pass|secret|token|api[-_]?key|apikey|access[-_]?key|secret[-_]?key|private[-_]?key|client[-_]?secret|auth[-_]?token|credentials?)';
const CREDENTIAL_KEYWORDS = ['pass', 'pwd', 'secret', 'token', 'key', 'credential'];
/** A flag that is only a credential's name, whose value is the next argument (`--db-password`, `hunter2`). */
const CREDENTIAL_FLAG = new RegExp(`^--?(?:[A-Za-z0-9]+[-_.])*${CREDENTIAL_WORD}$`, 'i');

/**
 * The generic rules' keywords are common words (`db-password` names a Secret's key, `jwt-secret` a
 * Secret): without a separator there is no assignment, and the regex need not run.
 */
function hasAssignment(value: string): boolean {
  return value.includes('=') || value.includes(':');
}
function hasFlagSeparator(value: string): boolean {
  return value.includes('-') && (value.includes('=') || value.includes(' ') || value.includes('\t'));
}
function gated(gate: (value: string) => boolean, rule: SecretValueRule): SecretValueRule {
  return { ...rule, find: (value, name) => (gate(value) ? rule.find(value, name) : []) };
}

function ignoreGenericValue(secret: string): boolean {
  return isPlaceholder(secret) || isPath(secret) || secret.length < 3;
}

/** AWS documents its examples with keys ending in EXAMPLE; they are not credentials. */
const AWS_EXAMPLE = /EXAMPLE/;

const AWS_SECRET_NAME = /(?:aws[_.-]?secret|secret[_.-]?access[_.-]?key)/i;
const AWS_SECRET_VALUE = /^[A-Za-z0-9/+]{40}$/;
const awsSecretInline = regexRule('aws-secret-access-key', '', ['secret'],
  /(?:aws)?[_.-]?secret[_.-]?access[_.-]?key["']?[ \t]*[=:][ \t]*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi, 1,
  (s) => AWS_EXAMPLE.test(s) || isPlaceholder(s));

const PEM_HEADER = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_FOOTER = /-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g;

/** The rules, cheapest and most specific first. */
export const SECRET_VALUE_RULES: readonly SecretValueRule[] = [
  regexRule('url-credentials', 'a URL with a user and password', ['://'],
    /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:@/?#]*:([^\s@/?#]+)@[^\s@]/g, 1),
  regexRule('aws-access-key-id', 'an AWS access key ID', ['akia', 'asia', 'abia', 'acca', 'a3t'],
    /\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g, 1, (s) => AWS_EXAMPLE.test(s)),
  {
    id: 'aws-secret-access-key',
    description: 'an AWS secret access key',
    keywords: ['secret'],
    usesName: true,
    find(value, name) {
      if (name !== undefined && AWS_SECRET_NAME.test(name) && AWS_SECRET_VALUE.test(value) && !AWS_EXAMPLE.test(value)) {
        return [{ start: 0, end: value.length }];
      }
      return awsSecretInline.find(value, name);
    },
  },
  regexRule('gcp-api-key', 'a Google API key', ['aiza'], /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g, 1),
  {
    id: 'gcp-service-account-key',
    description: 'a Google service account key (JSON)',
    keywords: ['service_account'],
    find(value) {
      return /"type"\s*:\s*"service_account"/.test(value) && /"private_key(?:_id)?"\s*:\s*"[^"]{8,}/.test(value)
        ? [{ start: 0, end: value.length }] : [];
    },
  },
  regexRule('github-token', 'a GitHub token', ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    /\b((?:ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{36}|github_pat_[0-9A-Za-z_]{82})(?![0-9A-Za-z_])/g, 1),
  regexRule('gitlab-token', 'a GitLab token', ['glpat-', 'glptt-', 'glrt-', 'gldt-', 'glcbt-', 'glft-', 'glimt-', 'glagent-', 'glsoat-', 'gloas-'],
    /\b(gl(?:pat|rt|dt|cbt|ft|imt|agent|soat|oas)-[0-9A-Za-z_-]{20,}|glptt-[0-9a-f]{40})(?![0-9A-Za-z_-])/g, 1),
  regexRule('slack-token', 'a Slack token', ['xox', 'xapp-'],
    /\b(xox[abeoprs]-(?:[0-9]+-)*[0-9A-Za-z-]{10,}|xapp-[0-9]+-[A-Z0-9]+-[0-9]+-[a-z0-9]{20,})/g, 1),
  regexRule('slack-webhook', 'a Slack webhook URL', ['hooks.slack.com'],
    /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9+/_-]{20,})/g, 1),
  {
    id: 'private-key',
    description: 'a private key (PEM)',
    keywords: ['private key'],
    find(value) {
      const spans: SecretSpan[] = [];
      PEM_HEADER.lastIndex = 0;
      for (let m = PEM_HEADER.exec(value); m !== null; m = PEM_HEADER.exec(value)) {
        const bodyStart = m.index + m[0].length;
        PEM_FOOTER.lastIndex = bodyStart;
        const footer = PEM_FOOTER.exec(value);
        const end = footer ? footer.index + footer[0].length : value.length;
        // A header with no key material after it is documentation, not a key.
        if (/[A-Za-z0-9+/=]{32}/.test(value.slice(bodyStart, footer ? footer.index : value.length).replace(/\s+/g, ''))) {
          spans.push({ start: m.index, end });
        }
        PEM_HEADER.lastIndex = end;
      }
      return spans;
    },
  },
  regexRule('jwt', 'a JSON Web Token', ['eyj'], /\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*)/g, 1),
  gated(hasFlagSeparator, regexRule('credential-flag', 'a credential given as a command-line flag', CREDENTIAL_KEYWORDS,
    new RegExp(`(?:^|[\\s"'])--?(?:[A-Za-z0-9]+[-_.])*${CREDENTIAL_WORD}(?:=|[ \\t]+)(["']?)([^\\s"']+)\\1`, 'gi'), 2, ignoreGenericValue)),
  gated(hasAssignment, regexRule('credential-assignment', 'a credential assigned in a string (key=value, key: value)', CREDENTIAL_KEYWORDS,
    new RegExp(`(?:^|[^A-Za-z0-9])(?:[A-Za-z0-9]+[-_.])*${CREDENTIAL_WORD}["']?[ \\t]*[=:][ \\t]*(["']?)([^\\s"'&;,]+)\\1`, 'gi'), 2, ignoreGenericValue)),
  {
    id: 'secret-named-value',
    description: 'a literal value under a credential name',
    keywords: [],
    usesName: true,
    find(value, name) {
      return name !== undefined && CREDENTIAL_NAME.test(name) && !isPlaceholder(value) ? [{ start: 0, end: value.length }] : [];
    },
  },
];

/** One case-insensitive test for every keyword: most strings are ruled out by it alone. */
const ANY_KEYWORD = new RegExp(SECRET_VALUE_RULES.flatMap((r) => r.keywords)
  .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
/** No rule finds a secret in fewer characters (`a://b:c@d`). */
const MIN_LENGTH = 6;

/**
 * The secrets in `value`, every one (so that all can be masked), in order of position.
 * `name` is the name the value is given under when it has one (an environment variable, a
 * ConfigMap key): some secrets are recognized by it (`AWS_SECRET_ACCESS_KEY`, `DB_PASSWORD`).
 */
export function findSecrets(value: string, name?: string): SecretMatch[] {
  const byValue = value.length >= MIN_LENGTH && ANY_KEYWORD.test(value);
  if (!byValue && name === undefined) return [];
  const lower = byValue ? value.toLowerCase() : '';
  const matches: SecretMatch[] = [];
  for (const rule of SECRET_VALUE_RULES) {
    const runs = (name !== undefined && rule.usesName) || (byValue && rule.keywords.some((k) => lower.includes(k)));
    if (runs) for (const span of rule.find(value, name)) matches.push({ rule, ...span });
  }
  if (matches.length < 2) return matches;
  // Overlapping finds (a URL's password that is also `password=...`) are one secret: keep the first rule's.
  const sorted = matches.sort((a, b) => a.start - b.start || SECRET_VALUE_RULES.indexOf(a.rule) - SECRET_VALUE_RULES.indexOf(b.rule));
  const kept: SecretMatch[] = [];
  for (const m of sorted) {
    const last = kept[kept.length - 1];
    if (last && m.start < last.end) {
      if (m.end > last.end) kept[kept.length - 1] = { ...last, end: m.end };
    } else {
      kept.push(m);
    }
  }
  return kept;
}

/**
 * Secrets in a list of arguments (container `command`/`args`): each string on its own, and a
 * value that follows a flag naming a credential (`--db-password`, `hunter2`). Keyed by index;
 * undefined when there is none.
 */
export function findSecretsInArguments(args: readonly unknown[]): Map<number, SecretMatch[]> | undefined {
  let found: Map<number, SecretMatch[]> | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg !== 'string') continue;
    let matches = findSecrets(arg);
    const previous = args[i - 1];
    if (matches.length === 0 && typeof previous === 'string' && previous.startsWith('-') && CREDENTIAL_FLAG.test(previous)
      && !arg.startsWith('-') && !ignoreGenericValue(arg)) {
      matches = [{ rule: FLAG_RULE, start: 0, end: arg.length }];
    }
    if (matches.length > 0) (found ??= new Map()).set(i, matches);
  }
  return found;
}

const FLAG_RULE = SECRET_VALUE_RULES.find((r) => r.id === 'credential-flag')!;

/** How many characters of context are shown on each side of a masked secret. */
const CONTEXT = 24;

/**
 * `value` with every secret replaced by `****`, shortened to the surroundings of the first one,
 * on one line: what a message may show. Never contains a secret's characters.
 */
export function maskSecrets(value: string, matches: readonly SecretSpan[]): string {
  if (matches.length === 0) return value;
  let masked = '';
  let at = 0;
  let firstMask = -1;
  for (const m of [...matches].sort((a, b) => a.start - b.start)) {
    if (m.start < at) continue;
    masked += value.slice(at, m.start);
    if (firstMask < 0) firstMask = masked.length;
    masked += '****';
    at = m.end;
  }
  masked += value.slice(at);
  const from = Math.max(0, firstMask - CONTEXT);
  const to = Math.min(masked.length, firstMask + 4 + CONTEXT);
  return `${from > 0 ? '…' : ''}${masked.slice(from, to)}${to < masked.length ? '…' : ''}`.replace(/\r?\n/g, '\\n');
}

/** The rules that found `matches`, named for a message: `a URL with a user and password (url-credentials)`. */
export function describeSecrets(matches: readonly SecretMatch[]): string {
  return [...new Set(matches.map((m) => m.rule))].map((r) => `${r.description} (${r.id})`).join(', ');
}
