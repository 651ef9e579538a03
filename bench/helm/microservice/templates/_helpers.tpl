{{- define "microservice.selectorLabels" -}}
app: {{ .name }}
{{- end }}

{{- define "microservice.labels" -}}
app: {{ .name }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/managed-by: Helm
app.kubernetes.io/part-of: {{ .partOf | default "ecommerce" }}
{{- end }}

{{- define "microservice.configName" -}}
{{ .name }}-config-{{ .config | toJson | sha256sum | trunc 10 }}
{{- end }}

{{- define "microservice.container" -}}
- name: {{ .svc.name }}
  image: {{ .image }}
  imagePullPolicy: IfNotPresent
  ports:
    - name: http
      containerPort: {{ .svc.port }}
      protocol: TCP
  envFrom:
    - configMapRef:
        name: {{ include "microservice.configName" .svc }}
    {{- if .svc.secretKeys }}
    - secretRef:
        name: {{ .svc.name }}-secrets
    {{- end }}
  livenessProbe:
    httpGet: { path: /health, port: http }
    initialDelaySeconds: 30
    periodSeconds: 10
    timeoutSeconds: 3
    failureThreshold: 3
  readinessProbe:
    httpGet: { path: /ready, port: http }
    initialDelaySeconds: 10
    periodSeconds: 5
    timeoutSeconds: 3
    failureThreshold: 3
  resources:
    requests: { cpu: 100m, memory: 128Mi }
    limits: { cpu: 1000m, memory: 512Mi }
  securityContext:
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    runAsNonRoot: true
    capabilities: { drop: [ALL] }
    seccompProfile: { type: RuntimeDefault }
  volumeMounts:
    - { name: tmp, mountPath: /tmp }
{{- end }}
