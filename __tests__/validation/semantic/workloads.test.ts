import { parseCronSchedule } from '../../../lib';
import { deployment, ruleTable } from './table';

const template = (restartPolicy?: string) => ({
  metadata: { labels: { app: 'job' } },
  spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [{ name: 'main', image: 'job:1.0' }] },
});

ruleTable('Deployment', deployment, [
  ['selector missing', (m) => { delete m.spec.selector; }, 'spec.selector', 'Required value'],
  ['selector empty', (m) => { m.spec.selector = {}; }, 'spec.selector', 'empty selector is invalid for deployment'],
  ['selector does not match the template labels', (m) => { m.spec.selector.matchLabels.app = 'api'; }, 'spec.template.metadata.labels', '`selector` does not match template `labels`'],
  ['selector expression does not match', (m) => { m.spec.selector.matchExpressions[0].values = ['back']; }, 'spec.template.metadata.labels', '`selector` does not match template `labels`'],
  ['selector expression In without values', (m) => { m.spec.selector.matchExpressions[0].values = []; }, 'spec.selector.matchExpressions[0].values', "must be specified when `operator` is 'In' or 'NotIn'"],
  ['selector expression operator unknown', (m) => { m.spec.selector.matchExpressions[0].operator = 'Equals'; }, 'spec.selector.matchExpressions[0].operator', 'Unsupported value: "Equals"'],
  ['negative replicas', (m) => { m.spec.replicas = -1; }, 'spec.replicas', 'greater than or equal to 0'],
  ['template restartPolicy OnFailure', (m) => { m.spec.template.spec.restartPolicy = 'OnFailure'; }, 'spec.template.spec.restartPolicy', 'supported values: "Always"'],
  ['activeDeadlineSeconds in the template', (m) => { m.spec.template.spec.activeDeadlineSeconds = 60; }, 'spec.template.spec.activeDeadlineSeconds', 'not Supported'],
  ['maxSurge and maxUnavailable both 0', (m) => { m.spec.strategy.rollingUpdate.maxSurge = 0; }, 'spec.strategy.rollingUpdate.maxUnavailable', 'may not be 0 when `maxSurge` is 0'],
  ['maxUnavailable above 100%', (m) => { m.spec.strategy.rollingUpdate.maxUnavailable = '110%'; }, 'spec.strategy.rollingUpdate.maxUnavailable', 'must not be greater than 100%'],
  ['maxSurge malformed', (m) => { m.spec.strategy.rollingUpdate.maxSurge = '25'; }, 'spec.strategy.rollingUpdate.maxSurge', 'valid percent string'],
  ['rollingUpdate with Recreate', (m) => { m.spec.strategy.type = 'Recreate'; }, 'spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"],
  ['strategy type unknown', (m) => { m.spec.strategy = { type: 'BlueGreen' }; }, 'spec.strategy.type', 'Unsupported value: "BlueGreen"'],
  ['progressDeadlineSeconds not above minReadySeconds', (m) => { m.spec.minReadySeconds = 30; m.spec.progressDeadlineSeconds = 30; }, 'spec.progressDeadlineSeconds', 'must be greater than minReadySeconds'],
]);

const statefulSet = () => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' },
  spec: {
    serviceName: 'db', replicas: 3, selector: { matchLabels: { app: 'db' } }, podManagementPolicy: 'Parallel',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:1.0', volumeMounts: [{ name: 'data', mountPath: '/data' }] }], volumes: [{ name: 'data', emptyDir: {} }] } },
    volumeClaimTemplates: [{ metadata: { name: 'pgdata' }, spec: { accessModes: ['ReadWriteOnce'] } }],
  },
});
ruleTable('StatefulSet', statefulSet, [
  ['selector does not match', (m) => { m.spec.selector.matchLabels.app = 'x'; }, 'spec.template.metadata.labels', 'does not match'],
  ['podManagementPolicy unknown', (m) => { m.spec.podManagementPolicy = 'Random'; }, 'spec.podManagementPolicy', 'Unsupported value'],
  ['negative partition', (m) => { m.spec.updateStrategy.rollingUpdate.partition = -1; }, 'spec.updateStrategy.rollingUpdate.partition', 'greater than or equal to 0'],
  ['maxUnavailable 0', (m) => { m.spec.updateStrategy.rollingUpdate.maxUnavailable = 0; }, 'spec.updateStrategy.rollingUpdate.maxUnavailable', 'must be greater than 0'],
  ['rollingUpdate with OnDelete', (m) => { m.spec.updateStrategy.type = 'OnDelete'; }, 'spec.updateStrategy.rollingUpdate', "only allowed for updateStrategy 'RollingUpdate'"],
  ['restartPolicy Never', (m) => { m.spec.template.spec.restartPolicy = 'Never'; }, 'spec.template.spec.restartPolicy', 'supported values: "Always"'],
  ['volumeClaimTemplate name twice', (m) => { m.spec.volumeClaimTemplates.push({ metadata: { name: 'pgdata' } }); }, 'spec.volumeClaimTemplates[1].metadata.name', 'Duplicate value'],
]);

const daemonSet = () => ({
  apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'shop' },
  spec: { selector: { matchLabels: { app: 'agent' } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1.0' }] } } },
});
ruleTable('DaemonSet', daemonSet, [
  ['selector does not match', (m) => { m.spec.template.metadata.labels = { app: 'other' }; }, 'spec.template.metadata.labels', 'does not match'],
  ['maxUnavailable 0 without surge', (m) => { m.spec.updateStrategy.rollingUpdate.maxUnavailable = 0; }, 'spec.updateStrategy.rollingUpdate.maxUnavailable', 'may not be 0 when `maxSurge` is 0'],
  ['restartPolicy OnFailure', (m) => { m.spec.template.spec.restartPolicy = 'OnFailure'; }, 'spec.template.spec.restartPolicy', 'supported values: "Always"'],
]);

const job = () => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'shop' },
  spec: { backoffLimit: 3, completions: 1, parallelism: 1, template: template('Never') },
});
ruleTable('Job', job, [
  ['restartPolicy Always (default)', (m) => { delete m.spec.template.spec.restartPolicy; }, 'spec.template.spec.restartPolicy', 'supported values: "OnFailure", "Never"'],
  ['selector without manualSelector', (m) => { m.spec.selector = { matchLabels: { app: 'job' } }; }, 'spec.selector', 'will be auto-generated'],
  ['manual selector not matching', (m) => { m.spec.manualSelector = true; m.spec.selector = { matchLabels: { app: 'x' } }; }, 'spec.template.metadata.labels', 'does not match'],
  ['negative backoffLimit', (m) => { m.spec.backoffLimit = -1; }, 'spec.backoffLimit', 'greater than or equal to 0'],
  ['activeDeadlineSeconds 0', (m) => { m.spec.activeDeadlineSeconds = 0; }, 'spec.activeDeadlineSeconds', 'must be greater than 0'],
  ['Indexed without completions', (m) => { m.spec.completionMode = 'Indexed'; delete m.spec.completions; }, 'spec.completions', 'when completion mode is Indexed'],
  ['podFailurePolicy with OnFailure', (m) => { m.spec.template.spec.restartPolicy = 'OnFailure'; m.spec.podFailurePolicy = { rules: [] }; }, 'spec.podFailurePolicy', 'only allowed when `restartPolicy` is `Never`'],
]);

const cronJob = () => ({
  apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'shop' },
  spec: { schedule: '*/15 8-18 * JAN-DEC mon-fri', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template: template('OnFailure') } } },
});
ruleTable('CronJob', cronJob, [
  ['schedule with six fields', (m) => { m.spec.schedule = '0 */15 8-18 * * *'; }, 'spec.schedule', 'expected exactly 5 fields'],
  ['schedule minute 60', (m) => { m.spec.schedule = '60 * * * *'; }, 'spec.schedule', 'minute: end of range (60) above maximum (59)'],
  ['schedule day of week 7', (m) => { m.spec.schedule = '0 0 * * 7'; }, 'spec.schedule', 'day of week: end of range (7) above maximum (6)'],
  ['schedule step 0', (m) => { m.spec.schedule = '*/0 * * * *'; }, 'spec.schedule', 'step of range should be a positive number'],
  ['schedule range reversed', (m) => { m.spec.schedule = '0 18-8 * * *'; }, 'spec.schedule', 'beyond end of range'],
  ['schedule unknown descriptor', (m) => { m.spec.schedule = '@fortnightly'; }, 'spec.schedule', 'unrecognized descriptor'],
  ['schedule with TZ', (m) => { m.spec.schedule = 'TZ=UTC 0 0 * * *'; }, 'spec.schedule', 'cannot use TZ or CRON_TZ in schedule'],
  ['timeZone unknown', (m) => { m.spec.timeZone = 'Mars/Olympus'; }, 'spec.timeZone', 'unknown time zone'],
  ['timeZone Local', (m) => { m.spec.timeZone = 'Local'; }, 'spec.timeZone', 'unknown time zone'],
  ['concurrencyPolicy unknown', (m) => { m.spec.concurrencyPolicy = 'Queue'; }, 'spec.concurrencyPolicy', 'Unsupported value'],
  ['job template restartPolicy Always', (m) => { m.spec.jobTemplate.spec.template.spec.restartPolicy = 'Always'; }, 'spec.jobTemplate.spec.template.spec.restartPolicy', 'supported values: "OnFailure", "Never"'],
  ['name longer than 52', (m) => { m.metadata.name = 'r'.repeat(53); }, 'metadata.name', 'no more than 52 characters'],
]);

const replicaSet = () => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'shop' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'job' } }, template: template() } });
ruleTable('ReplicaSet', replicaSet, [
  ['selector does not match', (m) => { m.spec.selector.matchLabels.app = 'x'; }, 'spec.template.metadata.labels', 'does not match'],
]);

const podObject = () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'shop' }, spec: { containers: [{ name: 'sh', image: 'busybox:1.36' }] } });
ruleTable('Pod', podObject, [
  ['image required on a Pod', (m) => { delete m.spec.containers[0].image; }, 'spec.containers[0].image', 'Required value'],
  ['image with trailing whitespace on a Pod', (m) => { m.spec.containers[0].image = 'busybox:1.36 '; }, 'spec.containers[0].image', 'leading or trailing whitespace'],
]);

describe('cron schedules the controller accepts', () => {
  test.each(['@hourly', '@every 1h30m', '0 0 1 1 *', '0 0 ? * SUN', '5,10,15-20/2 * * * *', '0 12 * * 0-6', '*/5 * * * *'])('%s', (schedule) => {
    expect(parseCronSchedule(schedule)).toBeUndefined();
  });
});
