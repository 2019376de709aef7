{{/*
Helpers of the serving chart (ollama, NextChat, Ingress, model PVC). The chart is named `backend`
because Helm hands it the 0.1.0 values under `backend.*`; inside, things are named for what they
are. Sizing (resources, GPU count, storage, ollama memory env) comes from _sizing.tpl
(`backend.sizing`), which computes it from files/catalog.yaml; nothing here repeats a model number.
Object names below are kept from 0.1.0 (docs/architecture.md, "Names kept from 0.1.0").
*/}}

{{/*
backend.names: every object name of the serving chart, as a YAML map for fromYaml. The names are a
contract with 0.1.0 (applications call the ollama Service by name) and with the API (config.json).
*/}}
{{- define "backend.names" -}}
ollamaDeployment: deepseek-backend-server
ollamaService: deepseek-backend-server-service
ollamaHpa: deepseek-backend-server-hpa
chatDeployment: deepseek-backend-chat
chatService: deepseek-backend-chat-service
chatHpa: deepseek-backend-chat-hpa
ingress: deepseek-backend-ingress
pvc: deepseek-models
servingConfig: deepseek-serving
accessSecret: deepseek-chat-access
{{- end -}}

{{/*
backend.ollama.selectorLabels: the 0.1.0 selector of the ollama Deployment. A Deployment selector
is immutable, so upgrading from 0.1.0 only works if it stays exactly this one label.
*/}}
{{- define "backend.ollama.selectorLabels" -}}
app: deepseek-backend-server
{{- end -}}

{{/*
backend.nextchat.selectorLabels: the 0.1.0 selector of the NextChat Deployment (immutable, as above).
*/}}
{{- define "backend.nextchat.selectorLabels" -}}
app: deepseek-backend-chat
{{- end -}}

{{/*
backend.sizingMap: `backend.sizing` parsed once into a map (resources, gpuCount, gpuResource,
storage, env, accelerator). Fails loudly if the sizing helper produced something that is not YAML,
so a broken computation never renders a pod without resources.
*/}}
{{- define "backend.sizingMap" -}}
{{- $sizing := include "backend.sizing" . | fromYaml -}}
{{- if hasKey $sizing "Error" -}}
{{- include "deepseek.fail" (dict "key" "chart.sizingNotYaml" "params" (dict "error" $sizing.Error) "root" .) -}}
{{- end -}}
{{- toYaml $sizing -}}
{{- end -}}

{{/*
backend.ollama.image: the full ollama image reference through the shared `deepseek.image` helper
(global.imageRegistry first), with the ROCm variant when enableAMD is set.
*/}}
{{- define "backend.ollama.image" -}}
{{- $image := deepCopy ((.Values.server | default dict).image | default dict) -}}
{{- $_ := set $image "tag" (include "backend.ollama.tag" .) -}}
{{- $suffix := ternary "-rocm" "" (eq (include "backend.accelerator" .) "amd") -}}
{{- include "deepseek.image" (dict "image" $image "default" (dict "repository" "ollama/ollama") "suffix" $suffix "root" .) -}}
{{- end -}}

{{/*
backend.nextchat.image: the NextChat image, pinned to v2.16.1 (the release that renders
<think> blocks and accepts provider-less model names) unless the user sets a tag or digest.
*/}}
{{- define "backend.nextchat.image" -}}
{{- $image := (.Values.chat | default dict).image | default dict -}}
{{- include "deepseek.image" (dict "image" $image "default" (dict "repository" "yidadaa/chatgpt-next-web" "tag" "v2.16.1") "root" .) -}}
{{- end -}}

{{/*
backend.accelerator: cpu, nvidia or amd, as the sizing decided it.
*/}}
{{- define "backend.accelerator" -}}
{{- (include "backend.sizingMap" . | fromYaml).accelerator | default "cpu" -}}
{{- end -}}

{{/*
backend.models: the JSON list of every model to serve: the configured model first, then each
backend.models entry once. NextChat offers exactly these; the model manager pulls exactly these.
*/}}
{{- define "backend.models" -}}
{{- $models := list (include "backend.modelName" .) -}}
{{- range (.Values.models | default list) -}}
{{- $name := toString . | trim -}}
{{- if and $name (not (has $name $models)) -}}{{- $models = append $models $name -}}{{- end -}}
{{- end -}}
{{- toJson $models -}}
{{- end -}}

{{/*
backend.persistence.existing: the live `deepseek-models` PVC as JSON ("{}" when absent, and always
in `helm template`, where lookup sees no cluster).
*/}}
{{- define "backend.persistence.existing" -}}
{{- $names := include "backend.names" . | fromYaml -}}
{{- toJson (lookup "v1" "PersistentVolumeClaim" .Release.Namespace $names.pvc | default dict) -}}
{{- end -}}

{{/*
backend.persistence.mode: how the chart treats the models PVC:
  create   - no such PVC yet: render it from the values;
  keep     - it exists and belongs to this release (a previous install or 0.1.0): render its live
             spec unchanged, so an upgrade never shrinks it or touches immutable fields;
  external - it exists and was created by someone else (offline seeding): do not render it.
*/}}
{{- define "backend.persistence.mode" -}}
{{- $existing := include "backend.persistence.existing" . | fromJson -}}
{{- if not $existing -}}
create
{{- else if eq (dig "metadata" "annotations" "meta.helm.sh/release-name" "" $existing) .Release.Name -}}
keep
{{- else -}}
external
{{- end -}}
{{- end -}}

{{/*
backend.persistence.accessModes: the access modes in force, as JSON: the live PVC's when it exists
(that is what the pods really get), else backend.persistence.accessModes.
*/}}
{{- define "backend.persistence.accessModes" -}}
{{- $existing := include "backend.persistence.existing" . | fromJson -}}
{{- $modes := dig "spec" "accessModes" list $existing -}}
{{- if not $modes -}}
{{- $modes = (.Values.persistence | default dict).accessModes | default (list "ReadWriteOnce") -}}
{{- end -}}
{{- toJson $modes -}}
{{- end -}}

{{/*
backend.persistence.shared: "true" when several pods on different nodes can mount the models
volume at once (ReadWriteMany), else "". Drives the Recreate strategy and the replica check.
*/}}
{{- define "backend.persistence.shared" -}}
{{- $modes := include "backend.persistence.accessModes" . | fromJsonArray -}}
{{- if has "ReadWriteMany" $modes -}}true{{- end -}}
{{- end -}}

{{/*
backend.ollama.maxReplicas: the most ollama pods that can run at once (replicas, or the HPA maximum).
*/}}
{{- define "backend.ollama.maxReplicas" -}}
{{- $server := .Values.server | default dict -}}
{{- $hpa := $server.autoscaling | default dict -}}
{{- if $hpa.enabled -}}
{{- int ($hpa.maxReplicas | default 5) -}}
{{- else -}}
{{- include "backend.replicas" $server -}}
{{- end -}}
{{- end -}}

{{/*
backend.replicas: the replicas of a workload's values map (backend.server or backend.chat): its
`replicas`, 1 when unset (0 stays 0). Call: include "backend.replicas" .Values.server | int
*/}}
{{- define "backend.replicas" -}}
{{- $map := . | default dict -}}
{{- int (ternary 1 $map.replicas (kindIs "invalid" $map.replicas)) -}}
{{- end -}}

{{/*
backend.ollama.checkReplicas: fails when more than one ollama pod would share a volume that only one
node can mount: the extra pods would hang in ContainerCreating (Multi-Attach error) forever.
Python: core.validation.replica_findings (same key and path; this one also reads the live PVC).
*/}}
{{- define "backend.ollama.checkReplicas" -}}
{{- $max := include "backend.ollama.maxReplicas" . | int -}}
{{- if and (gt $max 1) (not (include "backend.persistence.shared" .)) -}}
{{- $hpa := (.Values.server | default dict).autoscaling | default dict -}}
{{- $path := ternary "backend.server.autoscaling.enabled" "backend.server.replicas" (not (not $hpa.enabled)) -}}
{{- $params := dict "count" $max "modes" (include "backend.persistence.accessModes" . | fromJsonArray) -}}
{{- include "deepseek.fail" (dict "key" "finding.ReplicasNeedReadWriteMany" "path" $path "params" $params "root" .) -}}
{{- end -}}
{{- end -}}

{{/*
backend.ollama.strategy: Recreate unless the volume is ReadWriteMany. With ReadWriteOnce(Pod) a
rolling update starts the new pod while the old one still holds the volume, and both wait forever.
*/}}
{{- define "backend.ollama.strategy" -}}
{{- if include "backend.persistence.shared" . -}}
type: RollingUpdate
rollingUpdate:
  maxSurge: 0
  maxUnavailable: 1
{{- else -}}
type: Recreate
{{- end -}}
{{- end -}}

{{/*
backend.ollama.env: the ollama container's env list. The memory-relevant settings come from the
sizing (so the estimate is what ollama allocates); the rest pins where ollama writes, because the
image's defaults assume root with a writable /root:
  OLLAMA_MODELS = the PVC root, where 0.1.0 kept models (old PVCs keep working);
  HOME = an emptyDir (ollama writes its key pair under ~/.ollama);
  OLLAMA_NOPRUNE = never delete unreferenced blobs at start: on a shared volume another pod may
  be downloading them, and an administrator seeding a PVC may have copied blobs before manifests.
*/}}
{{- define "backend.ollama.env" -}}
{{- $sizing := include "backend.sizingMap" . | fromYaml -}}
{{- $env := dict -}}
{{- /* OLLAMA_CONTEXT_LENGTH, _NUM_PARALLEL, _KV_CACHE_TYPE, _FLASH_ATTENTION, _KEEP_ALIVE, _MAX_LOADED_MODELS: one source, the sizing. */ -}}
{{- range $name, $value := ($sizing.env | default dict) -}}{{- $_ := set $env $name (toString $value) -}}{{- end -}}
{{- /* Loopback only: the gateway container (_gateway.tpl) is the pod's door. */ -}}
{{- $_ := set $env "OLLAMA_HOST" (include "backend.gateway.ollamaHost" .) -}}
{{- $_ := set $env "OLLAMA_MODELS" "/models" -}}
{{- $_ := set $env "HOME" "/home/ollama" -}}
{{- $_ := set $env "OLLAMA_NOPRUNE" "1" -}}
{{- if not (include "backend.ollama.gpuVendor" .) -}}
{{- /* The image sets NVIDIA_VISIBLE_DEVICES=all: on a node whose default runtime is nvidia, a CPU pod would otherwise grab GPUs the scheduler gave to others. */ -}}
{{- $_ := set $env "NVIDIA_VISIBLE_DEVICES" "void" -}}
{{- end -}}
{{- range $name := keys $env | sortAlpha }}
- name: {{ $name }}
  value: {{ get $env $name | quote }}
{{- end }}
{{- end -}}

{{/*
backend.ollama.resources: the ollama container's resources from the sizing (explicit
backend.server.resources keys already win there).
*/}}
{{- define "backend.ollama.resources" -}}
{{- $sizing := include "backend.sizingMap" . | fromYaml -}}
{{- toYaml ($sizing.resources | default dict) -}}
{{- end -}}

{{/*
backend.ollama.gpuVendor: nvidia, amd or "" - from the accelerator, or from GPU resources a 0.1.0
config asked for explicitly in backend.server.resources without setting enableNvidia/enableAMD.
*/}}
{{- define "backend.ollama.gpuVendor" -}}
{{- $resources := include "backend.ollama.resources" . | fromYaml -}}
{{- $asked := merge (deepCopy ($resources.limits | default dict)) ($resources.requests | default dict) -}}
{{- $accelerator := include "backend.accelerator" . -}}
{{- if or (eq $accelerator "nvidia") (hasKey $asked "nvidia.com/gpu") -}}
nvidia
{{- else if or (eq $accelerator "amd") (hasKey $asked "amd.com/gpu") -}}
amd
{{- end -}}
{{- end -}}

{{/*
backend.ollama.tolerations: backend.server.tolerations plus the taint GPU operators put on GPU
nodes (nvidia.com/gpu, amd.com/gpu), so GPU pods schedule there. A toleration only allows a node;
it never forces one.
*/}}
{{- define "backend.ollama.tolerations" -}}
{{- $tolerations := (.Values.server | default dict).tolerations | default list -}}
{{- $vendor := include "backend.ollama.gpuVendor" . -}}
{{- if $vendor -}}
{{- $tolerations = append $tolerations (dict "key" (printf "%s.com/gpu" $vendor) "operator" "Exists" "effect" "NoSchedule") -}}
{{- end -}}
{{- if $tolerations -}}
{{- toYaml $tolerations -}}
{{- end -}}
{{- end -}}

{{/*
backend.hpaSpec: an autoscaling/v2 HPA spec body for a 0.1.0 `autoscaling` map (ollama's or
NextChat's); the 0.1.0 chart rendered the v2beta1 field targetAverageUtilization, which the API
server rejects. Without any target percentage it scales on CPU at 80%.
Call with (dict "autoscaling" $map "target" $deploymentName).
*/}}
{{- define "backend.hpaSpec" -}}
{{- $a := .autoscaling | default dict -}}
scaleTargetRef:
  apiVersion: apps/v1
  kind: Deployment
  name: {{ .target }}
minReplicas: {{ int ($a.minReplicas | default 1) }}
maxReplicas: {{ int ($a.maxReplicas | default 5) }}
metrics:
{{- $cpu := $a.targetCPUUtilizationPercentage -}}
{{- $memory := $a.targetMemoryUtilizationPercentage -}}
{{- if and (not $cpu) (not $memory) -}}{{- $cpu = 80 -}}{{- end -}}
{{- range $name, $value := dict "cpu" $cpu "memory" $memory -}}
{{- if $value }}
  - type: Resource
    resource:
      name: {{ $name }}
      target:
        type: Utilization
        averageUtilization: {{ int $value }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
backend.ingress.enabled: "true" when the extension Ingress is rendered: KubeSphere provides an
ingress domain suffix and the user has not turned global.extension.enabled off. (0.1.0 rendered
the host `deepseek.` without a suffix, which the API server rejects.)
*/}}
{{- define "backend.ingress.enabled" -}}
{{- $extension := (.global | default dict).extension | default dict -}}
{{- $ingress := $extension.ingress | default dict -}}
{{- if and $extension.enabled (trim (toString ($ingress.domainSuffix | default ""))) -}}true{{- end -}}
{{- end -}}

{{/*
backend.ingress.host: `deepseek.<domainSuffix>`, checked to be a valid DNS name when the dict
carries this chart's root (the failure reads its message catalog): (dict "global" .Values.global
"root" .). The top-level NOTES.txt calls it without one; the serving config always checks first.
*/}}
{{- define "backend.ingress.host" -}}
{{- $ingress := ((.global | default dict).extension | default dict).ingress | default dict -}}
{{- $suffix := trimPrefix "." (trim (toString ($ingress.domainSuffix | default ""))) | lower -}}
{{- $host := printf "deepseek.%s" $suffix -}}
{{- $valid := and (le (len $host) 253) (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" $host) -}}
{{- if and (not $valid) .root -}}
{{- $params := dict "given" (toString $ingress.domainSuffix) "host" $host -}}
{{- include "deepseek.fail" (dict "key" "chart.domainSuffixInvalid" "path" "global.extension.ingress.domainSuffix" "params" $params "root" .root) -}}
{{- end -}}
{{- $host -}}
{{- end -}}

{{/*
backend.chatUrl: the browser URL of NextChat through the extension Ingress, or "" when there is no
Ingress. https only when a TLS secret is configured (KubeSphere injects httpsPort 443 even when
the Ingress has no certificate); default ports are left out. Called with (dict "global" ... "root" .),
as backend.ingress.host.
*/}}
{{- define "backend.chatUrl" -}}
{{- if include "backend.ingress.enabled" . -}}
{{- $ingress := ((.global | default dict).extension | default dict).ingress | default dict -}}
{{- $host := include "backend.ingress.host" . -}}
{{- if $ingress.tlsSecretName -}}
{{- $port := toString ($ingress.httpsPort | default 443) -}}
{{- printf "https://%s%s" $host (ternary "" (printf ":%s" $port) (eq $port "443")) -}}
{{- else -}}
{{- $port := toString ($ingress.httpPort | default 80) -}}
{{- printf "http://%s%s" $host (ternary "" (printf ":%s" $port) (eq $port "80")) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
backend.nextchat.accessSecret: the Secret that holds NextChat's access code (key `code`): the
user's backend.chat.accessCodeSecret, or the generated `deepseek-chat-access`.
*/}}
{{- define "backend.nextchat.accessSecret" -}}
{{- $names := include "backend.names" . | fromYaml -}}
{{- (.Values.chat | default dict).accessCodeSecret | default $names.accessSecret -}}
{{- end -}}

{{/*
backend.nextchat.accessCode: the base64 access code for the generated Secret: the live Secret's
value when it exists (so upgrades keep the code users know), else 24 random characters.
*/}}
{{- define "backend.nextchat.accessCode" -}}
{{- $names := include "backend.names" . | fromYaml -}}
{{- $live := lookup "v1" "Secret" .Release.Namespace $names.accessSecret | default dict -}}
{{- $code := dig "data" "code" "" $live -}}
{{- $code | default (randAlphaNum 24 | b64enc) -}}
{{- end -}}

{{/*
backend.nextchat.env: NextChat's env. It talks to ollama's OpenAI-compatible API through its own
server (BASE_URL without /v1; the browser never reaches ollama), offers only the configured models
(`-all,+<model>@openai`), requires the access code, hides user API keys and URL-borne settings,
and binds to 0.0.0.0 (Kubernetes sets HOSTNAME to the pod name, which Next.js would bind to).
OPENAI_API_KEY is NextChat's own gateway key, from its Secret (_gateway.tpl); BASE_URL is the
Service, which reaches the gateway container of the ollama pod.
PROXY_URL is never set: the image then proxies every connection, in-cluster ollama included.
*/}}
{{- define "backend.nextchat.env" -}}
{{- $names := include "backend.names" . | fromYaml -}}
{{- $models := include "backend.models" . | fromJsonArray -}}
{{- $custom := list "-all" -}}
{{- range $models -}}{{- $custom = append $custom (printf "+%s@openai" .) -}}{{- end -}}
- name: BASE_URL
  value: {{ printf "http://%s:11434" $names.ollamaService | quote }}
- name: OPENAI_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ (include "backend.gateway.names" . | fromYaml).chatKeySecret | quote }}
      key: key
- name: CUSTOM_MODELS
  value: {{ join "," $custom | quote }}
- name: DEFAULT_MODEL
  value: {{ printf "%s@openai" (first $models) | quote }}
- name: CODE
  valueFrom:
    secretKeyRef:
      name: {{ include "backend.nextchat.accessSecret" . | quote }}
      key: code
- name: HIDE_USER_API_KEY
  value: "1"
- name: DISABLE_FAST_LINK
  value: "1"
- name: HOSTNAME
  value: "0.0.0.0"
- name: PORT
  value: "3000"
{{- end -}}

{{/*
backend.servingConfig: the `config.json` the API and the model manager read (exact shape in
docs/architecture.md, "The serving config"). Keys are sorted by toJson.
*/}}
{{- define "backend.servingConfig" -}}
{{- $names := include "backend.names" . | fromYaml -}}
{{- $sizing := include "backend.sizingMap" . | fromYaml -}}
{{- $model := .Values.model | default dict -}}
{{- $server := .Values.server | default dict -}}
{{- $chatUrl := include "backend.chatUrl" (dict "global" .Values.global "root" .) -}}
{{- $config := dict
  "model" (include "backend.modelName" .)
  "models" (include "backend.models" . | fromJsonArray)
  "pull" (ternary true $model.pull (kindIs "invalid" $model.pull))
  "registry" ($model.registry | default "registry.ollama.ai/library")
  "contextLength" (int ($model.contextLength | default 8192))
  "parallel" (int ($model.parallel | default 1))
  "maxLoadedModels" (int ($server.maxLoadedModels | default 1))
  "kvCacheType" ($model.kvCacheType | default "f16")
  "keepAlive" (get ($sizing.env | default dict) "OLLAMA_KEEP_ALIVE")
  "accelerator" (include "backend.accelerator" .)
  "gpuCount" (int ($sizing.gpuCount | default 0))
  "ollamaVersion" (include "backend.ollama.tag" .)
  "replicas" (include "backend.replicas" $server | int)
  "accessModes" (include "backend.persistence.accessModes" . | fromJsonArray)
  "pvcName" $names.pvc
  "ollamaService" $names.ollamaService
  "ollamaPort" 11434
  "ollamaAdminPort" (include "backend.gateway.names" . | fromYaml).adminPort
  "gatewayRequireKey" (eq (include "backend.gateway.requireKey" .) "true")
  "ollamaSelector" (include "backend.ollama.selectorLabels" . | fromYaml)
  "ollamaDeployment" $names.ollamaDeployment
  "chatService" $names.chatService
  "chatDeployment" $names.chatDeployment
  "chatSelector" (include "backend.nextchat.selectorLabels" . | fromYaml)
  "ingressName" $names.ingress
  "chatUrl" (ternary $chatUrl nil (ne $chatUrl ""))
  "accessCodeSecret" (include "backend.nextchat.accessSecret" .)
-}}
{{- toPrettyJson $config -}}
{{- end -}}
