{{/*
Corporate networks: how ollama reaches its registry (backend.server.proxy, .caBundle, .extraEnv).
Three helpers, each included once by ollama-deployment.yaml: env entries, volume mounts, volumes.
docs/serving.md, "Corporate networks", explains the settings.

ollama is a Go program: its downloads honour HTTPS_PROXY / HTTP_PROXY / NO_PROXY (Go
net/http ProxyFromEnvironment, golang.org/x/net/http/httpproxy: NO_PROXY takes hosts, ".domain"
suffixes and CIDRs). Go reads its roots from SSL_CERT_FILE or the default bundle file plus every
file in the SSL_CERT_DIR directories (crypto/x509 root_unix.go); SSL_CERT_FILE would *replace* the
image's public roots, so the bundle is mounted as a directory and added with
SSL_CERT_DIR=/etc/ssl/certs:<mount>, keeping the image's /etc/ssl/certs as well.
*/}}
{{- define "backend.network.caDir" -}}/etc/deepseek/ca-certificates{{- end -}}

{{- define "backend.network.settings" -}}
{{- $server := .Values.server | default dict -}}
{{- $proxy := $server.proxy | default dict -}}
{{- $ca := $server.caBundle | default dict -}}
{{- $env := list -}}
{{- if or $proxy.httpsProxy $proxy.httpProxy -}}
{{- /* Never proxied: loopback, in-cluster names, this namespace's short service names. */ -}}
{{- $noProxy := list "localhost" "127.0.0.1" "::1" ".svc" ".cluster.local" (printf ".%s" .Release.Namespace) -}}
{{- range ($proxy.noProxy | default list) -}}{{- if not (has (toString .) $noProxy) -}}{{- $noProxy = append $noProxy (toString .) -}}{{- end -}}{{- end -}}
{{- with $proxy.httpsProxy -}}{{- $env = append $env (dict "name" "HTTPS_PROXY" "value" (toString .)) -}}{{- end -}}
{{- with $proxy.httpProxy -}}{{- $env = append $env (dict "name" "HTTP_PROXY" "value" (toString .)) -}}{{- end -}}
{{- $env = append $env (dict "name" "NO_PROXY" "value" (join "," $noProxy)) -}}
{{- end -}}
{{- $source := "" -}}
{{- if and $ca.configMap $ca.secret -}}
{{- include "deepseek.fail" (dict "key" "chart.caBundleTwoSources" "path" "backend.server.caBundle" "root" .) -}}
{{- end -}}
{{- if or $ca.configMap $ca.secret -}}
{{- $env = append $env (dict "name" "SSL_CERT_DIR" "value" (printf "/etc/ssl/certs:%s" (include "backend.network.caDir" .))) -}}
{{- end -}}
{{- /* extraEnv last; a name the chart sets would be shadowed or shadow it (Kubernetes keeps the last duplicate), so it is refused. */ -}}
{{- $reserved := list -}}
{{- range (include "backend.ollama.env" . | fromYamlArray) -}}{{- $reserved = append $reserved .name -}}{{- end -}}
{{- range $env -}}{{- $reserved = append $reserved .name -}}{{- end -}}
{{- range $i, $item := ($server.extraEnv | default list) -}}
{{- if has $item.name $reserved -}}
{{- include "deepseek.fail" (dict "key" "chart.extraEnvReserved" "path" (printf "backend.server.extraEnv[%d].name" $i) "params" (dict "name" $item.name) "root" $) -}}
{{- end -}}
{{- $entry := deepCopy $item -}}
{{- /* `value: 1` or `value: true` in YAML: Kubernetes takes only strings. */ -}}
{{- if not (kindIs "invalid" $entry.value) -}}{{- $_ := set $entry "value" (toString $entry.value) -}}{{- end -}}
{{- $env = append $env $entry -}}
{{- end -}}
{{- toYaml (dict "env" $env "caConfigMap" (toString ($ca.configMap | default "")) "caSecret" (toString ($ca.secret | default "")) "caKey" (toString ($ca.key | default "ca.crt"))) -}}
{{- end -}}

{{/* backend.network.env: env entries for the ollama container (indent to the env list). */}}
{{- define "backend.network.env" -}}
{{- $settings := include "backend.network.settings" . | fromYaml -}}
{{- with $settings.env }}{{ toYaml . }}{{ end -}}
{{- end -}}

{{/* backend.network.volumeMounts: the CA bundle directory, read-only. */}}
{{- define "backend.network.volumeMounts" -}}
{{- $settings := include "backend.network.settings" . | fromYaml -}}
{{- if or $settings.caConfigMap $settings.caSecret }}
- name: ca-certificates
  mountPath: {{ include "backend.network.caDir" . }}
  readOnly: true
{{- end -}}
{{- end -}}

{{/* backend.network.volumes: the ConfigMap or Secret with the CA bundle, its key as ca.crt. */}}
{{- define "backend.network.volumes" -}}
{{- $settings := include "backend.network.settings" . | fromYaml -}}
{{- if $settings.caConfigMap }}
- name: ca-certificates
  configMap:
    name: {{ $settings.caConfigMap | quote }}
    items:
      - key: {{ $settings.caKey | quote }}
        path: ca.crt
{{- else if $settings.caSecret }}
- name: ca-certificates
  secret:
    secretName: {{ $settings.caSecret | quote }}
    items:
      - key: {{ $settings.caKey | quote }}
        path: ca.crt
{{- end -}}
{{- end -}}
