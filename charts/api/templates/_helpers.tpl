{{/*
api.name: the name of every object of the API chart (Deployment, Service, ServiceAccount, RBAC,
NetworkPolicy). Fixed, not release-derived: the APIService URL, the contract in
docs/architecture.md and the RBAC resourceNames all spell it.
*/}}
{{- define "api.name" -}}deepseek-api{{- end -}}

{{/*
api.url: the upstream URL ks-apiserver proxies to. An APIService `service:` reference always
means https, and gunicorn serves plain http inside the cluster, so the chart uses `url:`
(kubesphere.md 6.1).
*/}}
{{- define "api.url" -}}
{{- printf "http://%s.%s.svc:8080" (include "api.name" .) .Release.Namespace -}}
{{- end -}}

{{/*
api.env: the environment both containers (API and manager) share: where the serving config and
the catalog are mounted, which namespace they watch, the model gateway's admin key, and the
console chat's gateway key (the chat route calls the gateway with it, naming the user).
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
- name: DEEPSEEK_GATEWAY_CONSOLE_KEY_FILE
  value: /etc/deepseek/gateway-console/key
{{- end -}}


{{/*
api.chat.grantAllUsers: "true" unless api.chat.grantAllUsers is false (every user may chat).
*/}}
{{- define "api.chat.grantAllUsers" -}}
{{- $chat := .Values.chat | default dict -}}
{{- if or (kindIs "invalid" $chat.grantAllUsers) $chat.grantAllUsers -}}true{{- end -}}
{{- end -}}
