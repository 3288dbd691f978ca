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

{{/* The headless Service of the servers: stable names for Raft peers and for joins. */}}
{{- define "cairn.serverPeersService" -}}
{{- printf "%s-server-peers" (include "cairn.fullname" .) -}}
{{- end -}}

{{/* Replicated metadata: every server pod as id=host:port, its id the pod name. */}}
{{- define "cairn.metadataPeers" -}}
{{- $peers := list -}}
{{- range $i := until (int .Values.server.replicas) -}}
{{- $pod := printf "%s-server-%d" (include "cairn.fullname" $) $i -}}
{{- $peers = append $peers (printf "%s=%s.%s.%s.svc.%s:%v" $pod $pod (include "cairn.serverPeersService" $) $.Release.Namespace $.Values.clusterDomain $.Values.server.metadataPort) -}}
{{- end -}}
{{- join "," $peers -}}
{{- end -}}

{{/* Where chunkstores join: the admin Service, or with replicated servers every server pod. */}}
{{- define "cairn.joinUrls" -}}
{{- if gt (int .Values.server.replicas) 1 -}}
{{- $urls := list -}}
{{- range $i := until (int .Values.server.replicas) -}}
{{- $pod := printf "%s-server-%d" (include "cairn.fullname" $) $i -}}
{{- $urls = append $urls (printf "%s://%s.%s.%s.svc.%s:%v" (ternary "https" "http" (not (empty $.Values.tls.secretName))) $pod (include "cairn.serverPeersService" $) $.Release.Namespace $.Values.clusterDomain $.Values.server.service.adminPort) -}}
{{- end -}}
{{- join "," $urls -}}
{{- else -}}
{{- include "cairn.joinUrl" . -}}
{{- end -}}
{{- end -}}

{{/* The admin Service's DNS name: where chunkstores join. */}}
{{- define "cairn.joinUrl" -}}
{{- printf "%s://%s-admin.%s.svc.%s:%v" (ternary "https" "http" (not (empty .Values.tls.secretName))) (include "cairn.fullname" .) .Release.Namespace .Values.clusterDomain .Values.server.service.adminPort -}}
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

{{/*
The data (base64 values) of the chart's Secret, worked out once per render and kept in
.Values.auth so every template sees the same: a value given in auth.* wins; else what the
Secret in the cluster holds (lookup, unless auth.lookup is off; auth.currentSecretData where the
cluster cannot be read, as under `helm template`); else a new random value. So a secret is
generated once, at the first install.
*/}}
{{- define "cairn.secretData" -}}
{{- if not (hasKey .Values.auth "__resolved") -}}
{{- $live := dict -}}
{{- if .Values.auth.lookup -}}
{{- $live = lookup "v1" "Secret" .Release.Namespace (include "cairn.fullname" .) | default dict -}}
{{- end -}}
{{- $current := get $live "data" | default .Values.auth.currentSecretData | default dict -}}
{{- $data := dict -}}
{{- $_ := set $data "root-access-key" (ternary (.Values.auth.rootAccessKey | b64enc) (get $current "root-access-key" | default (randAlphaNum 20 | upper | b64enc)) (ne .Values.auth.rootAccessKey "")) -}}
{{- $_ := set $data "root-secret-key" (ternary (.Values.auth.rootSecretKey | b64enc) (get $current "root-secret-key" | default (randAlphaNum 40 | b64enc)) (ne .Values.auth.rootSecretKey "")) -}}
{{- $_ := set $data "cluster-secret" (ternary (.Values.auth.clusterSecret | b64enc) (get $current "cluster-secret" | default (randAlphaNum 48 | b64enc)) (ne .Values.auth.clusterSecret "")) -}}
{{- $_ := set .Values.auth "__resolved" $data -}}
{{- end -}}
{{- toYaml (get .Values.auth "__resolved") -}}
{{- end -}}

{{/*
Pod annotations that roll the pods when the credentials change: a checksum of the Secret's data
(the chart's own, or an existing Secret's as lookup reads it; none when it cannot be read).
*/}}
{{- define "cairn.secretChecksum" -}}
{{- if not .Values.auth.existingSecret -}}
checksum/secret: {{ include "cairn.secretData" . | sha256sum }}
{{- else -}}
{{- $existing := dict -}}
{{- if .Values.auth.lookup -}}
{{- $existing = lookup "v1" "Secret" .Release.Namespace .Values.auth.existingSecret | default dict -}}
{{- end -}}
{{- with get $existing "data" }}
checksum/secret: {{ toYaml . | sha256sum }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The /tmp volume of every pod: the root filesystem is read-only, and the JVM and RocksDB need a scratch directory. */}}
{{- define "cairn.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit | quote }}
{{- end -}}
