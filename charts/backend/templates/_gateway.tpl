{{/*
Helpers of the model gateway (docs/gateway.md). ollama listens on loopback inside its pod; the
gateway, a second container of that pod, serves the Service port 11434 (applications keep their
0.1.0 address), an admin port for the model manager and the API, and a metrics port.
*/}}

{{/*
backend.gateway.names: Secret names and ports of the gateway, as YAML for fromYaml.
  keysSecret   - name -> sha256:<hex> of every application key (kubectl patch adds/removes one);
  chatKeySecret - NextChat's own key (key `key`), its hash is the `nextchat` entry of keysSecret;
  adminSecret  - the manager's key (key `manager`), mounted in the ollama and the API pods;
  consoleSecret - the console chat's key (key `key`), mounted in the API pod; the gateway reads it as
                 the entry `console`, a trusted proxy key (it names the user in X-DeepSeek-User).
*/}}
{{- define "backend.gateway.names" -}}
keysSecret: deepseek-gateway-keys
chatKeySecret: deepseek-chat-gateway-key
adminSecret: deepseek-gateway-admin
consoleSecret: deepseek-gateway-console
consoleKeyName: console
port: 11434
adminPort: 11435
metricsPort: 9101
ollamaPort: 11400
{{- end -}}

{{/*
backend.gateway.ollamaHost: OLLAMA_HOST of the ollama container: loopback only, so nothing outside
the pod reaches ollama, whatever the CNI does with NetworkPolicies.
*/}}
{{- define "backend.gateway.ollamaHost" -}}
{{- $g := include "backend.gateway.names" . | fromYaml -}}
{{- printf "127.0.0.1:%d" (int $g.ollamaPort) -}}
{{- end -}}

{{/*
backend.gateway.image: the gateway runs from the extension API image (it is `deepseek-ext gateway`),
tagged with this chart's version unless backend.gateway.image sets a tag or digest.
*/}}
{{- define "backend.gateway.image" -}}
{{- $image := ((.Values.gateway | default dict).image | default dict) -}}
{{- include "deepseek.image" (dict "image" $image "default" (dict "repository" "kubesphere/deepseek-extension-api" "tag" .Chart.Version) "root" .) -}}
{{- end -}}

{{/*
backend.gateway.slots: requests ollama serves at once on one pod (OLLAMA_NUM_PARALLEL).
backend.gateway.maxConcurrent: the per-key limit: backend.gateway.maxConcurrentPerKey, or one less
than parallel x pods (at least 1), so one application key never holds every slot.
backend.gateway.chatMaxConcurrent: NextChat's key serves every chat user: all slots by default.
*/}}
{{- define "backend.gateway.slots" -}}
{{- $parallel := int ((.Values.model | default dict).parallel | default 1) -}}
{{- mul $parallel (include "backend.ollama.maxReplicas" . | int) -}}
{{- end -}}

{{- define "backend.gateway.maxConcurrent" -}}
{{- $gw := .Values.gateway | default dict -}}
{{- $slots := include "backend.gateway.slots" . | int -}}
{{- int ($gw.maxConcurrentPerKey | default (max 1 (sub $slots 1))) -}}
{{- end -}}

{{/*
backend.gateway.maxConcurrentPerUser: a console user's limit (caller user:<name>); 0 = the per-key one.
*/}}
{{- define "backend.gateway.maxConcurrentPerUser" -}}
{{- $gw := .Values.gateway | default dict -}}
{{- $n := $gw.maxConcurrentPerUser -}}
{{- if kindIs "invalid" $n -}}2{{- else if eq (int $n) 0 -}}{{ include "backend.gateway.maxConcurrent" . }}{{- else -}}{{ int $n }}{{- end -}}
{{- end -}}

{{- define "backend.gateway.chatMaxConcurrent" -}}
{{- $gw := .Values.gateway | default dict -}}
{{- int ($gw.chatMaxConcurrent | default (include "backend.gateway.slots" . | int)) -}}
{{- end -}}

{{/*
backend.gateway.requireKey: "true" unless backend.gateway.requireKey is false.
*/}}
{{- define "backend.gateway.requireKey" -}}
{{- $gw := .Values.gateway | default dict -}}
{{- if or (kindIs "invalid" $gw.requireKey) $gw.requireKey -}}true{{- end -}}
{{- end -}}

{{/*
backend.gateway.secretValue: the base64 value of `key` in the live Secret `name`, or "" (always ""
in `helm template`). Call with (dict "name" ... "key" ... "root" .).
*/}}
{{- define "backend.gateway.secretValue" -}}
{{- $live := lookup "v1" "Secret" .root.Release.Namespace .name | default dict -}}
{{- dig "data" .key "" $live -}}
{{- end -}}

{{/*
backend.gateway.container: the gateway container of the ollama pod.
*/}}
{{- define "backend.gateway.container" -}}
{{- $g := include "backend.gateway.names" . | fromYaml -}}
{{- $gw := .Values.gateway | default dict -}}
{{- $models := include "backend.models" . | fromJsonArray -}}
- name: gateway
  image: {{ include "backend.gateway.image" . }}
  imagePullPolicy: {{ include "deepseek.imagePullPolicy" ($gw.image | default dict) }}
  command:
    - deepseek-ext
    - gateway
    - --listen=0.0.0.0:{{ $g.port }}
    - --admin-listen=0.0.0.0:{{ $g.adminPort }}
    - --metrics-listen=0.0.0.0:{{ $g.metricsPort }}
    - --ollama-url=http://{{ include "backend.gateway.ollamaHost" . }}
    - --keys-file=/etc/deepseek/gateway-keys
    {{- /* Last: an entry named `console` in the keys Secret (kubectl) never replaces the real one. */}}
    - --keys-file=/etc/deepseek/gateway-console
    - --trusted-proxy-keys={{ $g.consoleKeyName }}
    - --admin-keys-file=/etc/deepseek/gateway-admin
    - --models={{ join "," $models }}
    - --max-concurrent={{ include "backend.gateway.maxConcurrent" . }}
    - --key-max-concurrent=nextchat={{ include "backend.gateway.chatMaxConcurrent" . }}
    - --max-concurrent-per-user={{ include "backend.gateway.maxConcurrentPerUser" . }}
    - --tokens-per-minute={{ int ($gw.tokensPerMinute | default 0) }}
    {{- if not (include "backend.gateway.requireKey" .) }}
    - --no-require-key
    {{- end }}
  ports:
    - name: http
      containerPort: {{ $g.port }}
      protocol: TCP
    - name: admin
      containerPort: {{ $g.adminPort }}
      protocol: TCP
    - name: metrics
      containerPort: {{ $g.metricsPort }}
      protocol: TCP
  {{- /* Ready only when ollama answers on loopback: the Service then sends traffic here. */}}
  startupProbe:
    httpGet:
      path: /readyz
      port: metrics
    periodSeconds: 5
    timeoutSeconds: 4
    failureThreshold: 60
  readinessProbe:
    httpGet:
      path: /readyz
      port: metrics
    periodSeconds: 10
    timeoutSeconds: 4
    failureThreshold: 3
  livenessProbe:
    httpGet:
      path: /healthz
      port: metrics
    periodSeconds: 20
    timeoutSeconds: 5
    failureThreshold: 6
  resources:
    {{- toYaml ($gw.resources | default dict) | nindent 4 }}
  securityContext:
    {{- include "deepseek.containerSecurityContext" (dict "readOnlyRootFilesystem" true) | nindent 4 }}
  volumeMounts:
    - name: gateway-keys
      mountPath: /etc/deepseek/gateway-keys
      readOnly: true
    - name: gateway-admin
      mountPath: /etc/deepseek/gateway-admin
      readOnly: true
    - name: gateway-console
      mountPath: /etc/deepseek/gateway-console
      readOnly: true
{{- end -}}

{{/*
backend.gateway.volumes: the Secrets the gateway container mounts (kubelet swaps the files when a
Secret changes; the gateway re-reads them, so adding or revoking a key needs no restart).
*/}}
{{- define "backend.gateway.volumes" -}}
{{- $g := include "backend.gateway.names" . | fromYaml -}}
- name: gateway-keys
  secret:
    secretName: {{ $g.keysSecret }}
- name: gateway-admin
  secret:
    secretName: {{ $g.adminSecret }}
- name: gateway-console
  secret:
    secretName: {{ $g.consoleSecret }}
    items:
      - key: key
        path: {{ $g.consoleKeyName }}
{{- end -}}
