{{/*
Chart name, truncated to 63 characters (the limit of a DNS label and of a label value).
*/}}
{{- define "expense-api.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: "<release>-<chart>" unless the release name already contains the chart
name, truncated to 63 characters.
*/}}
{{- define "expense-api.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version as used by the helm.sh/chart label.
*/}}
{{- define "expense-api.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels: name and instance only, because a Deployment's selector is immutable and must
not change when the chart or app version does.
*/}}
{{- define "expense-api.selectorLabels" -}}
app.kubernetes.io/name: {{ include "expense-api.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Common labels for every resource of the release.
*/}}
{{- define "expense-api.labels" -}}
helm.sh/chart: {{ include "expense-api.chart" . }}
{{ include "expense-api.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: expense
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Name of the ServiceAccount the API pods run as.
*/}}
{{- define "expense-api.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "expense-api.fullname" .) .Values.serviceAccount.name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Container image: a digest pins the image and wins over the tag; the tag defaults to appVersion.
*/}}
{{- define "expense-api.image" -}}
{{- $repository := required "image.repository is required (for example <account>.dkr.ecr.<region>.amazonaws.com/expense-api)" .Values.image.repository }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (default .Chart.AppVersion .Values.image.tag | toString) }}
{{- end }}
{{- end }}

{{/*
Name of the Secret the pods read their credentials from: the platform's, or the chart's.
*/}}
{{- define "expense-api.secretName" -}}
{{- default (include "expense-api.fullname" .) .Values.secret.existingSecret }}
{{- end }}

{{/*
Name shared by the migration Job and its hook-scoped ConfigMap and Secret copies.
*/}}
{{- define "expense-api.migrationName" -}}
{{- printf "%s-migration" (include "expense-api.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of the migration Job's pod. They deliberately differ from the selector labels in
app.kubernetes.io/name, so the Service, the PodDisruptionBudget and the NetworkPolicy of the API
never select a migration pod.
*/}}
{{- define "expense-api.migrationPodLabels" -}}
app.kubernetes.io/name: {{ printf "%s-migration" (include "expense-api.name" .) | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: migration
app.kubernetes.io/part-of: expense
{{- end }}

{{/*
Non-secret settings, one key per environment variable the API reads (api/src/env-vars.ts). Used by
the release's ConfigMap and by the migration hook's copy of it, so the two cannot drift apart.
Tuning settings always come from the chart's values (they differ per environment file); connection
settings only when the platform does not provide them in config.existingConfigMap. PORT is set by
the Deployment from containerPort so that the two always agree.
*/}}
{{- define "expense-api.configData" -}}
{{- $c := .Values.config -}}
LOG_LEVEL: {{ $c.logLevel | quote }}
CORS_ORIGIN: {{ $c.corsOrigin | quote }}
CACHE_TTL_SECONDS: {{ $c.cacheTtlSeconds | int | quote }}
DB_POOL_SIZE: {{ $c.database.poolSize | int | quote }}
{{- if not $c.existingConfigMap }}
DB_HOST: {{ required "config.database.host is required unless config.existingConfigMap is set" $c.database.host | quote }}
DB_PORT: {{ $c.database.port | int | quote }}
DB_USER: {{ required "config.database.user is required unless config.existingConfigMap is set" $c.database.user | quote }}
DB_NAME: {{ $c.database.name | quote }}
DB_TLS: {{ $c.database.tls | toString | quote }}
REDIS_HOST: {{ required "config.redis.host is required unless config.existingConfigMap is set" $c.redis.host | quote }}
REDIS_PORT: {{ $c.redis.port | int | quote }}
REDIS_TLS: {{ $c.redis.tls | toString | quote }}
{{- end }}
{{- end }}

{{/*
envFrom entries: the platform's connection ConfigMap first (when set), then the chart's, whose
tuning keys win over the same keys in the platform's. Called with (dict "existing" NAME "own" NAME).
*/}}
{{- define "expense-api.envFrom" -}}
{{- with .existing -}}
- configMapRef:
    name: {{ . }}
{{ end -}}
- configMapRef:
    name: {{ .own }}
{{- end }}

{{/*
Key of DATABASE_URL in the Secret, or nothing when DATABASE_URL is not set. With the chart's Secret
it is set when secret.databaseUrl is; with an existing Secret when secret.keys.databaseUrl names a key.
*/}}
{{- define "expense-api.databaseUrlKey" -}}
{{- $s := .Values.secret -}}
{{- if $s.existingSecret }}
{{- $s.keys.databaseUrl }}
{{- else if $s.databaseUrl }}
{{- default "DATABASE_URL" $s.keys.databaseUrl }}
{{- end }}
{{- end }}

{{/*
Data of the chart-managed Secret, keyed by secret.keys.*.
*/}}
{{- define "expense-api.secretData" -}}
{{- $s := .Values.secret -}}
{{ $s.keys.dbPassword }}: {{ required "secret.dbPassword is required unless secret.existingSecret is set" $s.dbPassword | b64enc | quote }}
{{ $s.keys.redisPassword }}: {{ $s.redisPassword | default "" | b64enc | quote }}
{{- with include "expense-api.databaseUrlKey" . }}
{{ . }}: {{ $s.databaseUrl | b64enc | quote }}
{{- end }}
{{- end }}

{{/*
Environment entries that come from the Secret. Called with (dict "context" $ "secretName" NAME) so
the migration Job can point them at its hook-scoped copy. REDIS_PASSWORD is optional in the Secret
(a Redis without AUTH); DATABASE_URL is set only when configured, because it overrides DB_*.
*/}}
{{- define "expense-api.secretEnv" -}}
{{- $s := .context.Values.secret -}}
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ $s.keys.dbPassword }}
      # With IAM authentication (DB_AUTH=iam from the platform's ConfigMap) no Secret exists.
      optional: true
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ $s.keys.redisPassword }}
      optional: true
{{- with include "expense-api.databaseUrlKey" .context }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $.secretName }}
      key: {{ . }}
{{- end }}
{{- end }}

{{/*
PromQL label matchers that scope a query to this release: the ServiceMonitor's job label is the
Service name, and the namespace label is added by Prometheus.
*/}}
{{- define "expense-api.promSelector" -}}
job="{{ include "expense-api.fullname" . }}", namespace="{{ .Release.Namespace }}"
{{- end }}
