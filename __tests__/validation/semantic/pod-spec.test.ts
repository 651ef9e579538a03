import { deployment, findingsOf, RuleCase, ruleTable } from './table';

const P = 'spec.template.spec';
const C = `${P}.containers[0]`;
const c = (m: any) => m.spec.template.spec.containers[0];
const pod = (m: any) => m.spec.template.spec;

const CASES: RuleCase[] = [
  // containers
  ['no container', (m) => { pod(m).containers = []; }, `${P}.containers`, 'at least one container'],
  ['container name not a DNS label', (m) => { c(m).name = 'Web_1'; }, `${C}.name`, 'is not a valid DNS label'],
  ['container name shared with an init container', (m) => { c(m).name = 'migrate'; }, `${C}.name`, 'Duplicate value: "migrate"'],
  ['unknown imagePullPolicy', (m) => { c(m).imagePullPolicy = 'Sometimes'; }, `${C}.imagePullPolicy`, 'Unsupported value: "Sometimes"'],
  ['restartPolicy on an app container', (m) => { c(m).restartPolicy = 'Always'; }, `${C}.restartPolicy`, 'may not be set for non-init containers'],
  ['init container restartPolicy Never', (m) => { pod(m).initContainers[0].restartPolicy = 'Never'; }, `${P}.initContainers[0].restartPolicy`, 'supported values: "Always"'],
  ['probe on a plain init container', (m) => { pod(m).initContainers[0].readinessProbe = { tcpSocket: { port: 1 } }; }, `${P}.initContainers[0].readinessProbe`, 'init containers without restartPolicy=Always'],
  ['lifecycle on a plain init container', (m) => { pod(m).initContainers[0].lifecycle = { preStop: { sleep: { seconds: 1 } } }; }, `${P}.initContainers[0].lifecycle`, 'init containers without restartPolicy=Always'],
  // ports
  ['containerPort 0', (m) => { c(m).ports[0].containerPort = 0; }, `${C}.ports[0].containerPort`, 'between 1 and 65535'],
  ['containerPort 70000', (m) => { c(m).ports[0].containerPort = 70000; }, `${C}.ports[0].containerPort`, 'between 1 and 65535'],
  ['hostPort out of range', (m) => { c(m).ports[0].hostPort = 65536; }, `${C}.ports[0].hostPort`, 'between 1 and 65535'],
  ['duplicate port names', (m) => { c(m).ports[1].name = 'http'; }, `${C}.ports[1].name`, 'Duplicate value: "http"'],
  ['port name longer than 15', (m) => { c(m).ports[0].name = 'http-application'; }, `${C}.ports[0].name`, 'no more than 15 characters'],
  ['port name without a letter', (m) => { c(m).ports[0].name = '8080'; }, `${C}.ports[0].name`, 'at least one letter'],
  ['port name with upper case', (m) => { c(m).ports[0].name = 'HTTP'; }, `${C}.ports[0].name`, 'only alpha-numeric characters'],
  ['port name with double hyphen', (m) => { c(m).ports[0].name = 'http--x'; }, `${C}.ports[0].name`, 'consecutive hyphens'],
  ['port name ending with hyphen', (m) => { c(m).ports[0].name = 'http-'; }, `${C}.ports[0].name`, 'begin or end with a hyphen'],
  ['unknown protocol', (m) => { c(m).ports[0].protocol = 'HTTP'; }, `${C}.ports[0].protocol`, 'supported values: "TCP", "UDP", "SCTP"'],
  ['duplicate port definition (warning)', (m) => { c(m).ports.push({ containerPort: 8080 }); }, `${C}.ports[2]`, `duplicate port definition with ${C}.ports[0]`, 'warning'],
  ['host port used twice', (m) => { c(m).ports[0].hostPort = 80; c(m).ports[1].hostPort = 80; }, `${C}.ports[1].hostPort`, 'host port 80/TCP'],
  // env
  ['env name with "="', (m) => { c(m).env[0].name = 'A=B'; }, `${C}.env[0].name`, "printable ASCII characters other than '='"],
  ['env without a name', (m) => { c(m).env[0].name = ''; }, `${C}.env[0].name`, 'Required value'],
  ['env with value and valueFrom', (m) => { c(m).env[1].value = 'x'; }, `${C}.env[1].valueFrom`, 'may not be specified when `value` is not empty'],
  ['valueFrom with two sources', (m) => { c(m).env[1].valueFrom.secretKeyRef = { name: 's', key: 'k' }; }, `${C}.env[1].valueFrom`, 'more than one field'],
  ['valueFrom empty', (m) => { c(m).env[1].valueFrom = {}; }, `${C}.env[1].valueFrom`, 'must specify one of'],
  ['unsupported fieldPath', (m) => { c(m).env[1].valueFrom.fieldRef.fieldPath = 'spec.containers'; }, `${C}.env[1].valueFrom.fieldRef.fieldPath`, 'Unsupported value: "spec.containers"'],
  ['secretKeyRef key invalid', (m) => { c(m).env[3].valueFrom.secretKeyRef.key = 'a/b'; }, `${C}.env[3].valueFrom.secretKeyRef.key`, 'valid config key'],
  ['resourceFieldRef unknown', (m) => { c(m).env[1].valueFrom = { resourceFieldRef: { resource: 'limits.gpu' } }; }, `${C}.env[1].valueFrom.resourceFieldRef.resource`, 'Unsupported value: "limits.gpu"'],
  ['duplicate env name (warning)', (m) => { c(m).env.push({ name: 'MODE', value: 'dev' }); }, `${C}.env[4]`, 'hides previous definition of "MODE"', 'warning'],
  ['envFrom with both refs', (m) => { c(m).envFrom[0].secretRef = { name: 's' }; }, `${C}.envFrom[0]`, 'more than one field'],
  // mounts and volumes
  ['mount names no volume', (m) => { c(m).volumeMounts[0].name = 'cache'; }, `${C}.volumeMounts[0].name`, 'Not found: "cache"'],
  ['mountPath twice', (m) => { c(m).volumeMounts[1].mountPath = '/tmp'; }, `${C}.volumeMounts[1].mountPath`, 'must be unique'],
  ['absolute subPath', (m) => { c(m).volumeMounts[0].subPath = '/x'; }, `${C}.volumeMounts[0].subPath`, 'must be a relative path'],
  ['subPath with ..', (m) => { c(m).volumeMounts[0].subPath = 'a/../b'; }, `${C}.volumeMounts[0].subPath`, "must not contain '..'"],
  ['Bidirectional propagation unprivileged', (m) => { c(m).volumeMounts[0].mountPropagation = 'Bidirectional'; }, `${C}.volumeMounts[0].mountPropagation`, 'only to privileged containers'],
  ['volume names unique', (m) => { pod(m).volumes[1].name = 'tmp'; }, `${P}.volumes[1].name`, 'Duplicate value: "tmp"'],
  ['volume without a source', (m) => { delete pod(m).volumes[0].emptyDir; }, `${P}.volumes[0]`, 'must specify a volume type'],
  ['volume with two sources', (m) => { pod(m).volumes[0].configMap = { name: 'x' }; }, `${P}.volumes[0].configMap`, 'more than 1 volume type'],
  ['emptyDir medium unknown', (m) => { pod(m).volumes[0].emptyDir.medium = 'Disk'; }, `${P}.volumes[0].emptyDir.medium`, 'Unsupported value: "Disk"'],
  ['emptyDir sizeLimit not a quantity', (m) => { pod(m).volumes[0].emptyDir.sizeLimit = '64 MB'; }, `${P}.volumes[0].emptyDir.sizeLimit`, 'non-negative quantity'],
  ['item path absolute', (m) => { pod(m).volumes[1].projected.sources[0].configMap.items[0].path = '/a.conf'; }, `${P}.volumes[1].projected.sources[0].configMap.items[0].path`, 'relative path'],
  ['defaultMode above 0777', (m) => { pod(m).volumes[1].projected.defaultMode = 0o1777; }, `${P}.volumes[1].projected.defaultMode`, 'between 0 and 0777'],
  ['token expiration under 10 minutes', (m) => { pod(m).volumes[1].projected.sources[1].serviceAccountToken.expirationSeconds = 60; }, `${P}.volumes[1].projected.sources[1].serviceAccountToken.expirationSeconds`, 'less than 10 minutes'],
  ['projected paths collide', (m) => { pod(m).volumes[1].projected.sources[1].serviceAccountToken.path = 'a.conf'; }, `${P}.volumes[1].projected.sources[1].serviceAccountToken.path`, 'conflicting duplicate paths'],
  ['hostPath type unknown', (m) => { pod(m).volumes[0] = { name: 'tmp', hostPath: { path: '/x', type: 'Dir' } }; }, `${P}.volumes[0].hostPath.type`, 'Unsupported value: "Dir"'],
  // probes and hooks
  ['probe with two handlers', (m) => { c(m).livenessProbe.tcpSocket = { port: 8080 }; }, `${C}.livenessProbe.tcpSocket`, 'may not specify more than 1 handler type'],
  ['probe without a handler', (m) => { c(m).livenessProbe = { periodSeconds: 5 }; }, `${C}.livenessProbe`, 'must specify a handler type'],
  ['negative periodSeconds', (m) => { c(m).livenessProbe.periodSeconds = -1; }, `${C}.livenessProbe.periodSeconds`, 'greater than or equal to 0'],
  ['liveness successThreshold 2', (m) => { c(m).livenessProbe.successThreshold = 2; }, `${C}.livenessProbe.successThreshold`, 'must be 1'],
  ['readiness terminationGracePeriodSeconds', (m) => { c(m).readinessProbe.terminationGracePeriodSeconds = 10; }, `${C}.readinessProbe.terminationGracePeriodSeconds`, 'must not be set for readinessProbes'],
  ['probe port name invalid', (m) => { c(m).livenessProbe.httpGet.port = 'HTTP_PORT'; }, `${C}.livenessProbe.httpGet.port`, 'alpha-numeric'],
  ['probe port out of range', (m) => { c(m).readinessProbe.httpGet.port = 0; }, `${C}.readinessProbe.httpGet.port`, 'between 1 and 65535'],
  ['probe scheme unknown', (m) => { c(m).readinessProbe.httpGet.scheme = 'TCP'; }, `${C}.readinessProbe.httpGet.scheme`, 'supported values: "HTTP", "HTTPS"'],
  ['exec without command', (m) => { c(m).startupProbe.exec.command = []; }, `${C}.startupProbe.exec.command`, 'Required value'],
  ['grpc port not a number', (m) => { c(m).startupProbe = { grpc: { port: 'grpc' } }; }, `${C}.startupProbe.grpc.port`, 'between 1 and 65535'],
  ['preStop sleep beyond the grace period', (m) => { c(m).lifecycle.preStop.sleep.seconds = 60; }, `${C}.lifecycle.preStop.sleep.seconds`, 'less than terminationGracePeriodSeconds (30)'],
  ['hook with two handlers', (m) => { c(m).lifecycle.preStop.exec = { command: ['x'] }; }, `${C}.lifecycle.preStop.sleep`, 'more than 1 handler type (also exec)'],
  // resources
  ['cpu request above limit', (m) => { c(m).resources.requests.cpu = '2'; }, `${C}.resources.requests`, 'must be less than or equal to cpu limit of 1'],
  ['memory request above limit', (m) => { c(m).resources.requests.memory = '1Gi'; }, `${C}.resources.requests`, 'must be less than or equal to memory limit of 512Mi'],
  ['quantity that does not parse', (m) => { c(m).resources.limits.memory = '512MB'; }, `${C}.resources.limits.memory`, 'quantities must match'],
  ['negative quantity', (m) => { c(m).resources.requests.cpu = '-1'; }, `${C}.resources.requests.cpu`, 'greater than or equal to 0'],
  ['unknown resource name', (m) => { c(m).resources.limits.gpu = '1'; }, `${C}.resources.limits.gpu`, 'standard resource for containers'],
  ['extended resource request without limit', (m) => { c(m).resources.requests['nvidia.com/gpu'] = '1'; }, `${C}.resources.limits`, 'Limit must be set for non overcommitable'],
  ['extended resource request != limit', (m) => { c(m).resources.requests['nvidia.com/gpu'] = '1'; c(m).resources.limits['nvidia.com/gpu'] = '2'; }, `${C}.resources.requests`, 'must be equal to nvidia.com/gpu limit of 2'],
  ['fractional memory (warning)', (m) => { c(m).resources.requests.memory = '1500m'; }, `${C}.resources.requests.memory`, 'fractional byte value', 'warning'],
  // pod-level
  ['unknown restartPolicy', (m) => { pod(m).restartPolicy = 'Sometimes'; }, `${P}.restartPolicy`, 'Unsupported value: "Sometimes"'],
  ['unknown dnsPolicy', (m) => { pod(m).dnsPolicy = 'Cluster'; }, `${P}.dnsPolicy`, 'Unsupported value: "Cluster"'],
  ['dnsPolicy None without nameservers', (m) => { pod(m).dnsPolicy = 'None'; }, `${P}.dnsConfig.nameservers`, 'at least one DNS nameserver'],
  ['nameserver not an IP', (m) => { pod(m).dnsConfig = { nameservers: ['dns.local'] }; }, `${P}.dnsConfig.nameservers[0]`, 'valid IP address'],
  ['toleration operator unknown', (m) => { pod(m).tolerations[0].operator = 'In'; }, `${P}.tolerations[0].operator`, 'supported values: "Equal", "Exists"'],
  ['toleration Exists with a value', (m) => { pod(m).tolerations[1].value = 'x'; }, `${P}.tolerations[1].operator`, "value must be empty when `operator` is 'Exists'"],
  ['toleration without key and Equal', (m) => { delete pod(m).tolerations[0].key; }, `${P}.tolerations[0].operator`, 'operator must be Exists when `key` is empty'],
  ['tolerationSeconds without NoExecute', (m) => { pod(m).tolerations[1].effect = 'NoSchedule'; }, `${P}.tolerations[1].effect`, "effect must be 'NoExecute'"],
  ['toleration effect unknown', (m) => { pod(m).tolerations[0].effect = 'NoRun'; }, `${P}.tolerations[0].effect`, 'Unsupported value: "NoRun"'],
  ['sysctl name malformed', (m) => { pod(m).securityContext.sysctls[0].name = 'net..ipv4'; }, `${P}.securityContext.sysctls[0].name`, 'must have at most 253 characters'],
  ['sysctl twice', (m) => { pod(m).securityContext.sysctls.push({ name: 'net.ipv4.tcp_syncookies', value: '0' }); }, `${P}.securityContext.sysctls[1].name`, 'Duplicate value'],
  ['net sysctl with hostNetwork', (m) => { pod(m).hostNetwork = true; }, `${P}.securityContext.sysctls[0].name`, "may not be specified when 'hostNetwork' is true"],
  ['runAsUser negative', (m) => { pod(m).securityContext.runAsUser = -1; }, `${P}.securityContext.runAsUser`, 'between 0 and 2147483647'],
  ['seccomp Localhost without profile', (m) => { pod(m).securityContext.seccompProfile = { type: 'Localhost' }; }, `${P}.securityContext.seccompProfile.localhostProfile`, 'must be set when seccomp type is Localhost'],
  ['procMount unknown', (m) => { c(m).securityContext.procMount = 'Masked'; }, `${C}.securityContext.procMount`, 'Unsupported value: "Masked"'],
  ['procMount Unmasked with host users', (m) => { c(m).securityContext.procMount = 'Unmasked'; }, `${C}.securityContext.procMount`, '`hostUsers` must be false'],
  ['privileged without escalation', (m) => { c(m).securityContext.privileged = true; }, `${C}.securityContext`, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'],
  ['SYS_ADMIN without escalation', (m) => { c(m).securityContext.capabilities.add = ['SYS_ADMIN']; }, `${C}.securityContext`, 'CAP_SYS_ADMIN'],
  ['activeDeadlineSeconds 0', (m) => { pod(m).activeDeadlineSeconds = 0; }, `${P}.activeDeadlineSeconds`, 'between 1 and'],
  ['negative grace period (warning)', (m) => { pod(m).terminationGracePeriodSeconds = -1; }, `${P}.terminationGracePeriodSeconds`, 'will be treated as 1', 'warning'],
  ['nodeSelector value invalid', (m) => { pod(m).nodeSelector['kubernetes.io/os'] = 'linux os'; }, `${P}.nodeSelector.kubernetes.io/os`, 'invalid label value'],
  ['hostname not a DNS label', (m) => { pod(m).hostname = 'web.local'; }, `${P}.hostname`, 'not a valid DNS label'],
  ['topology maxSkew 0', (m) => { pod(m).topologySpreadConstraints[0].maxSkew = 0; }, `${P}.topologySpreadConstraints[0].maxSkew`, 'greater than zero'],
  ['topology minDomains with ScheduleAnyway', (m) => { pod(m).topologySpreadConstraints[0].minDomains = 2; }, `${P}.topologySpreadConstraints[0].minDomains`, 'whenUnsatisfiable=DoNotSchedule'],
  ['topology constraint twice', (m) => { pod(m).topologySpreadConstraints.push({ ...pod(m).topologySpreadConstraints[0] }); }, `${P}.topologySpreadConstraints[1]`, 'Duplicate value'],
  ['hostAlias ip invalid', (m) => { pod(m).hostAliases = [{ ip: '10.0.0.300', hostnames: ['db'] }]; }, `${P}.hostAliases[0].ip`, 'valid IP address'],
  ['template annotation key invalid', (m) => { m.spec.template.metadata.annotations['bad key'] = 'x'; }, 'spec.template.metadata.annotations', 'invalid annotation key "bad key"'],
  ['template label value invalid', (m) => { m.spec.template.metadata.labels.tier = 'front end'; m.spec.selector.matchExpressions = []; }, 'spec.template.metadata.labels.tier', 'invalid label value'],
];

ruleTable('pod spec rules (on a Deployment)', deployment, CASES);

describe('pod spec: values the server accepts', () => {
  test.each<[string, (m: any) => void]>([
    ['a redefinition that builds on the earlier value', (m) => { c(m).env.push({ name: 'MODE', value: '$(MODE)-eu' }); }],
    ['a toleration matching every taint', (m) => { pod(m).tolerations = [{ operator: 'Exists' }]; }],
    ['numeric quantities', (m) => { c(m).resources = { requests: { cpu: 0.5, memory: 134217728 }, limits: { cpu: 1, memory: '1Gi' } }; }],
    ['IPv4 with leading zeros (Go parses it sloppily)', (m) => { pod(m).hostAliases = [{ ip: '010.000.000.001', hostnames: ['db'] }]; }],
    ['Unmasked with hostUsers false', (m) => { pod(m).hostUsers = false; c(m).securityContext.procMount = 'Unmasked'; }],
  ])('%s', (_name, change) => {
    const m = deployment();
    change(m);
    expect(findingsOf(m)).toEqual([]);
  });
});
