{{/*
api.name: the name of every object of the API chart (Deployment, Service, ServiceAccount, RBAC,
NetworkPolicy). Fixed, not release-derived: the APIService URL, the contract in
docs/architecture.md and the RBAC resourceNames all spell it.
*/}}
{{- define "api.name" -}}deepseek-api{{- end -}}

{{/*
api.port: the edge's TLS port (container, Service and NetworkPolicy); gunicorn listens on the pod's
loopback only (api.upstream), so nothing but the edge reaches it.
*/}}
{{- define "api.port" -}}8443{{- end -}}
{{- define "api.upstream" -}}127.0.0.1:8081{{- end -}}

{{/*
api.host: the Service's DNS name, the name the serving certificate is issued for.
*/}}
{{- define "api.host" -}}
{{- printf "%s.%s.svc" (include "api.name" .) .Release.Namespace -}}
{{- end -}}

{{/*
api.url: the upstream URL ks-apiserver proxies to: the edge, over TLS, checked with the APIService
caBundle. `url:` rather than `service:` keeps the port and scheme explicit (kubesphere.md 6.1).
*/}}
{{- define "api.url" -}}
{{- printf "https://%s:%s" (include "api.host" .) (include "api.port" .) -}}
{{- end -}}

{{/*
api.tls: the edge's serving certificate as YAML {ca, crt, key} (base64 PEM). Generated once by helm
(ECDSA P-256, genCAWithKey + genSignedCertWithKey, 10 years) and kept across upgrades: `lookup`
returns the Secret an earlier install created. `helm template` and client-side dry runs cannot
look up, so each of them renders a fresh pair (docs/security.md: trade-offs and rotation). Call it once per render and use the result
for both the Secret and the caBundle (apiservice.yaml), or the two would not match.
*/}}
{{- define "api.tls" -}}
{{- $secret := lookup "v1" "Secret" .Release.Namespace (printf "%s-tls" (include "api.name" .)) -}}
{{- $data := (get (default dict $secret) "data") | default dict -}}
{{- if and (get $data "ca.crt") (get $data "tls.crt") (get $data "tls.key") -}}
ca: {{ get $data "ca.crt" }}
crt: {{ get $data "tls.crt" }}
key: {{ get $data "tls.key" }}
{{- else -}}
{{- $name := include "api.name" . -}}
{{- $ns := .Release.Namespace -}}
{{- /* ECDSA P-256, not genCA's RSA 2048: as strong for a 10-year serving pair, and generated in
     microseconds where RSA took up to a second of every render (and every `helm template`). */ -}}
{{- $ca := genCAWithKey (printf "%s-ca" $name) 3650 (genPrivateKey "ecdsa") -}}
{{- $sans := list $name (printf "%s.%s" $name $ns) (include "api.host" .) (printf "%s.cluster.local" (include "api.host" .)) -}}
{{- $cert := genSignedCertWithKey (include "api.host" .) nil $sans 3650 $ca (genPrivateKey "ecdsa") -}}
ca: {{ $ca.Cert | b64enc }}
crt: {{ $cert.Cert | b64enc }}
key: {{ $cert.Key | b64enc }}
{{- end -}}
{{- end -}}

{{/*
api.gatewayUrl: the model gateway the chat route calls (the ollama Service's port, which the gateway
serves; backend chart, ObjectNames.ollama_service).
*/}}
{{- define "api.gatewayUrl" -}}
{{- printf "http://deepseek-backend-server-service.%s.svc:11434" .Release.Namespace -}}
{{- end -}}

{{/*
api.env: the environment both containers (API and manager) share: where the serving config and
the catalog are mounted, which namespace they watch, and the model gateway's admin key. The
console chat's gateway key goes to the edge container alone (it serves the chat route).
*/}}
{{- define "api.env" -}}
- name: DEEPSEEK_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: DEEPSEEK_SERVING_CONFIG
  value: /etc/deepseek/serving/config.json
- name: DEEPSEEK_CATALOG
  value: /etc/deepseek/serving/catalog.yaml
- name: DEEPSEEK_OLLAMA_KEY_FILE
  value: /etc/deepseek/gateway-admin/manager
{{- end -}}


{{/*
api.chat.grantAllUsers: "true" unless api.chat.grantAllUsers is false (every user may chat).
*/}}
{{- define "api.chat.grantAllUsers" -}}
{{- $chat := .Values.chat | default dict -}}
{{- if or (kindIs "invalid" $chat.grantAllUsers) $chat.grantAllUsers -}}true{{- end -}}
{{- end -}}
