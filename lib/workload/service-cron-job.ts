import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { parseCronSchedule } from '../validation/semantic/cron';
import { JobTemplateOptions, renderJobSpec } from './job-template';

/** Props of {@link ServiceCronJob}. */
export interface ServiceCronJobProps extends JobTemplateOptions {
  /** The CronJob's name (a DNS label of at most 52 characters: the controller appends a suffix per run). */
  readonly name: string;
  /** When it runs: five cron fields (`"0 2 * * *"`) or a descriptor (`@daily`, `@every 1h`). */
  readonly schedule: string;
  /** IANA time zone of the schedule, e.g. "Asia/Shanghai". @default the controller's (UTC on most clusters) */
  readonly timeZone?: string;
  /** `Forbid` skips a run while the previous one is still running, `Replace` stops it, `Allow` runs both. @default "Forbid" */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** Seconds after its scheduled time a missed run may still start. @default 300 */
  readonly startingDeadlineSeconds?: number;
  /** Finished successful Jobs kept. @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** Finished failed Jobs kept. @default 3 */
  readonly failedJobsHistoryLimit?: number;
  /** Stops scheduling runs. @default false */
  readonly suspend?: boolean;
  /** Labels of the CronJob and of its pods. @default `app: <name>` */
  readonly labels?: Record<string, string>;
  /** Annotations of the CronJob. @default none */
  readonly annotations?: Record<string, string>;
}

/**
 * A CronJob: a Job (see {@link ServiceJob}) started on a schedule. The schedule is parsed as the
 * CronJob controller parses it, and a schedule that does not parse is refused at construction.
 */
export class ServiceCronJob extends Construct {
  /** The CronJob's name. */
  public readonly name: string;
  /** The rendered CronJob. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceCronJobProps) {
    super(scope, id);
    v.props(this, props, 'ServiceCronJobProps');
    this.name = v.dnsLabel(this, 'name', props.name);
    if (this.name.length > 52) fail(this, 'name', this.name, 'a DNS label of at most 52 characters (the controller appends 11 characters to name each run)');
    const schedule = v.text(this, 'schedule', props.schedule, 'a cron schedule such as "0 2 * * *" or "@daily"');
    if (/^\s*(CRON_)?TZ=/.test(schedule)) fail(this, 'schedule', schedule, 'a schedule without TZ= (set timeZone instead)');
    const problem = parseCronSchedule(schedule);
    if (problem) fail(this, 'schedule', schedule, `a cron schedule of five fields (minute hour day-of-month month day-of-week) or a descriptor such as "@daily" (${problem})`);
    const timeZone = v.optionalText(this, 'timeZone', props.timeZone);
    if (timeZone !== undefined && !isTimeZone(timeZone)) fail(this, 'timeZone', timeZone, 'an IANA time zone name such as "Etc/UTC" or "Asia/Shanghai"');
    const labels = v.labels(this, 'labels', props.labels ?? { app: this.name });
    const history = (field: 'successfulJobsHistoryLimit' | 'failedJobsHistoryLimit') => v.integer(this, field, props[field] ?? 3, 0, 100);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: this.name, labels, annotations: nonEmpty(v.stringMap(this, 'annotations', props.annotations)) },
      spec: {
        schedule,
        timeZone,
        concurrencyPolicy: v.oneOf(this, 'concurrencyPolicy', props.concurrencyPolicy ?? 'Forbid', ['Allow', 'Forbid', 'Replace'] as const),
        startingDeadlineSeconds: v.integer(this, 'startingDeadlineSeconds', props.startingDeadlineSeconds ?? 300, 1, 2 ** 31 - 1),
        successfulJobsHistoryLimit: history('successfulJobsHistoryLimit'),
        failedJobsHistoryLimit: history('failedJobsHistoryLimit'),
        suspend: v.optionalBoolean(this, 'suspend', props.suspend),
        jobTemplate: {
          metadata: { labels },
          spec: renderJobSpec(this, 'CronJob', { name: this.name, labels }, props),
        },
      },
    });
  }
}

const knownTimeZones = new Map<string, boolean>();

/** True for an IANA time zone name the runtime knows (remembered: building a formatter costs ~1 ms). */
function isTimeZone(zone: string): boolean {
  if (zone.toLowerCase() === 'local' || zone.trim() !== zone) return false;
  let known = knownTimeZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    knownTimeZones.set(zone, known);
  }
  return known;
}

function nonEmpty(map: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(map).length > 0 ? map : undefined;
}
