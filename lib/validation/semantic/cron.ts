/*
 * CronJob schedules as the CronJob controller parses them (robfig/cron's standard parser): five
 * fields (minute, hour, day of month, month, day of week) of comma-separated `*`, `?`, values,
 * ranges and steps, month and weekday names, or a descriptor such as `@daily` or `@every 1h30m`.
 */

interface Bounds { readonly min: number; readonly max: number; readonly names?: Record<string, number> }

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: ReadonlyArray<[string, Bounds]> = [
  ['minute', { min: 0, max: 59 }],
  ['hour', { min: 0, max: 23 }],
  ['day of month', { min: 1, max: 31 }],
  ['month', { min: 1, max: 12, names: MONTHS }],
  ['day of week', { min: 0, max: 6, names: DAYS }],
];
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const GO_DURATION = /^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/;
const NUMBER = /^\d+$/;

/** Why `schedule` does not parse, or undefined when it does. */
export function parseCronSchedule(schedule: string): string | undefined {
  const text = schedule.trim();
  if (text.startsWith('@')) {
    if (DESCRIPTORS.has(text)) return undefined;
    if (text.startsWith('@every ')) {
      const duration = text.slice(7).trim();
      return GO_DURATION.test(duration) && /\d/.test(duration) ? undefined : `failed to parse duration ${duration}`;
    }
    return `unrecognized descriptor: ${text}`;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: ${text}`;
  for (let i = 0; i < 5; i++) {
    const [name, bounds] = FIELDS[i];
    for (const part of fields[i].split(',')) {
      const problem = parseRange(part, bounds);
      if (problem) return `${name}: ${problem}`;
    }
  }
  return undefined;
}

function parseValue(text: string, bounds: Bounds): number | string {
  const named = bounds.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!NUMBER.test(text)) return `failed to parse int from ${text}`;
  return Number(text);
}

function parseRange(expr: string, bounds: Bounds): string | undefined {
  const [range, step, ...rest] = expr.split('/');
  if (rest.length > 0) return `too many slashes: ${expr}`;
  let start = bounds.min;
  let end = bounds.max;
  if (range !== '*' && range !== '?') {
    const [a, b, ...more] = range.split('-');
    if (more.length > 0) return `too many hyphens: ${expr}`;
    const first = parseValue(a, bounds);
    if (typeof first === 'string') return first;
    start = first;
    if (b !== undefined) {
      const second = parseValue(b, bounds);
      if (typeof second === 'string') return second;
      end = second;
    } else if (step === undefined) {
      end = start;
    }
  }
  if (step !== undefined) {
    if (!NUMBER.test(step)) return `failed to parse int from ${step}`;
    if (Number(step) === 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}
