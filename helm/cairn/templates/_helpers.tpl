{{/* The chart name. */}}
{{- define "cairn.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The prefix of every resource name. */}}
{{- define "cairn.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels of every resource. */}}
{{- define "cairn.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{ include "cairn.selectorLabels" . }}
{{- end -}}

{{/* Labels that select the release's pods. */}}
{{- define "cairn.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cairn.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The Secret holding root credentials and the cluster secret. */}}
{{- define "cairn.secretName" -}}
{{- default (include "cairn.fullname" .) .Values.auth.existingSecret -}}
{{- end -}}

{{/* The image reference. */}}
{{- define "cairn.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The admin Service's DNS name: where chunkstores join. */}}
{{- define "cairn.joinUrl" -}}
{{- printf "http://%s-admin.%s.svc.%s:%v" (include "cairn.fullname" .) .Release.Namespace .Values.clusterDomain .Values.server.service.adminPort -}}
{{- end -}}

{{/* The headless Service of the chunkstores. */}}
{{- define "cairn.chunkstoreService" -}}
{{- printf "%s-chunkstore" (include "cairn.fullname" .) -}}
{{- end -}}

{{/* Environment variables of the credentials every container needs. */}}
{{- define "cairn.secretEnv" -}}
- name: CAIRN_CLUSTER_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "cairn.secretName" . }}
      key: cluster-secret
{{- end -}}
