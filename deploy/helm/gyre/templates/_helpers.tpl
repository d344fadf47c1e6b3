{{/* The release's object name: the release name, with "gyre" unless it holds it already. */}}
{{- define "gyre.fullname" -}}
{{- if contains "gyre" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-gyre" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "gyre.selectorLabels" -}}
app.kubernetes.io/name: gyre
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: api
{{- end -}}

{{- define "gyre.labels" -}}
{{ include "gyre.selectorLabels" . }}
app.kubernetes.io/part-of: gyre
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "gyre.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "gyre.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "gyre.fullname" . }}
  {{- with .Values.existingSecret }}
  - secretRef:
      name: {{ . }}
  {{- end }}
{{- end -}}

{{/* The restricted security context and the writable mounts every Gyre container has. */}}
{{- define "gyre.container" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  capabilities:
    drop: ["ALL"]
volumeMounts:
  - name: home
    mountPath: /var/lib/gyre
  - name: tmp
    mountPath: /tmp
{{- end -}}
