{{/* Names, labels and checks shared by the templates. */}}

{{- define "bpfwasm.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every object name. Service names are limited to 63 characters: 43 leaves room for
     "-operator-metrics". */}}
{{- define "bpfwasm.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 43 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 43 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 43 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "bpfwasm.operator.fullname" -}}
{{- printf "%s-operator" (include "bpfwasm.fullname" .) }}
{{- end }}

{{- define "bpfwasm.agent.fullname" -}}
{{- printf "%s-agent" (include "bpfwasm.fullname" .) }}
{{- end }}

{{- define "bpfwasm.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "bpfwasm.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: bpfwasm
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one component; call with (dict "context" $ "component" "operator"). */}}
{{- define "bpfwasm.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bpfwasm.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "bpfwasm.componentLabels" -}}
{{ include "bpfwasm.labels" .context }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* repository:tag of an image block; the tag defaults to the chart's appVersion. */}}
{{- define "bpfwasm.image" -}}
{{- printf "%s:%s" .image.repository (default .context.Chart.AppVersion .image.tag) }}
{{- end }}

{{/* Refuses value combinations that the schema cannot express. */}}
{{- define "bpfwasm.validate" -}}
{{- if and (gt (int .Values.operator.replicas) 1) (not .Values.operator.leaderElection.enabled) }}
{{- fail "operator.leaderElection.enabled=false with operator.replicas > 1 would run several active operators; enable leader election or use 1 replica" }}
{{- end }}
{{- end }}
