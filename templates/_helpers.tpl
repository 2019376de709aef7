{{/*
Shared helpers for every subchart of the extension. Named templates are global in Helm, so the
subcharts (backend, api, frontend) call these; each takes a dict and never reads parent values.
*/}}

{{/*
deepseek.image: the full image reference of an image map.
Call: include "deepseek.image" (dict "image" .Values.server.image "default" (dict "repository" "ollama/ollama" "tag" "0.32.15") "suffix" "-rocm" "root" .)
global.imageRegistry wins over image.registry (ksbuilder lint checks that every image follows it);
the tag falls back to the default map (the tested version) and then to the chart appVersion/version;
a digest replaces the tag; an empty registry is omitted.
*/}}
{{- define "deepseek.image" -}}
{{- $image := .image | default dict -}}
{{- $default := .default | default dict -}}
{{- $global := .root.Values.global | default dict -}}
{{- $registry := toString ($global.imageRegistry | default $image.registry | default "") -}}
{{- $repository := $image.repository | default $default.repository -}}
{{- $tag := toString ($image.tag | default $default.tag | default .root.Chart.AppVersion | default .root.Chart.Version) -}}
{{- $ref := $repository -}}
{{- if $registry -}}{{- $ref = printf "%s/%s" (trimSuffix "/" $registry) $repository -}}{{- end -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $ref $image.digest -}}
{{- else -}}
{{- printf "%s:%s%s" $ref $tag (.suffix | default "") -}}
{{- end -}}
{{- end -}}

{{/*
deepseek.imagePullPolicy: the image's pullPolicy (or 0.1.0's imagePullPolicy), else IfNotPresent.
*/}}
{{- define "deepseek.imagePullPolicy" -}}
{{- $image := . | default dict -}}
{{- $image.pullPolicy | default $image.imagePullPolicy | default "IfNotPresent" -}}
{{- end -}}

{{/*
deepseek.imagePullSecrets: an `imagePullSecrets:` block from global.imagePullSecrets plus the
per-image pullSecrets (0.1.0 also spelled it imagePullSecrets); entries may be names or {name: ...}.
Call: include "deepseek.imagePullSecrets" (dict "images" (list .Values.server.image) "root" .)
Renders nothing when there are none.
*/}}
{{- define "deepseek.imagePullSecrets" -}}
{{- $names := list -}}
{{- $global := .root.Values.global | default dict -}}
{{- $all := concat ($global.imagePullSecrets | default list) -}}
{{- range .images -}}
{{- $all = concat $all (.pullSecrets | default list) (.imagePullSecrets | default list) -}}
{{- end -}}
{{- range $all -}}
{{- $name := . -}}
{{- if kindIs "map" . -}}{{- $name = .name -}}{{- end -}}
{{- if and $name (not (has $name $names)) -}}{{- $names = append $names $name -}}{{- end -}}
{{- end -}}
{{- if $names }}
imagePullSecrets:
{{- range $names }}
  - name: {{ . | quote }}
{{- end }}
{{- end -}}
{{- end -}}

{{/*
deepseek.nodeSelector: a `nodeSelector:` block merging global.nodeSelector (KubeSphere injects
extension.nodeSelector there; it wins) over the workload's own map. Renders nothing when empty.
Call: include "deepseek.nodeSelector" (dict "nodeSelector" .Values.server.nodeSelector "root" .)
ks-core passes each entry as `--set global.nodeSelector.<key>=<value>` (dots in the key escaped;
installplan_controller.go), so `true` and `1` arrive as a bool and an int; Kubernetes takes only
strings, so every key and value is quoted. A whole-number float (a large int read from a values
file) prints without an exponent; null prints "".
*/}}
{{- define "deepseek.nodeSelector" -}}
{{- $global := .root.Values.global | default dict -}}
{{- $merged := merge (deepCopy ($global.nodeSelector | default dict)) (.nodeSelector | default dict) -}}
{{- if $merged }}
nodeSelector:
{{- range $key := keys $merged | sortAlpha }}
{{- $value := get $merged $key }}
{{- if kindIs "invalid" $value }}{{ $value = "" }}
{{- else if and (kindIs "float64" $value) (eq $value (floor $value)) }}{{ $value = printf "%d" (int64 $value) }}
{{- end }}
  {{ $key | quote }}: {{ toString $value | quote }}
{{- end }}
{{- end -}}
{{- end -}}

{{/*
deepseek.labels: the standard app.kubernetes.io labels of one component.
Call: include "deepseek.labels" (dict "component" "ollama" "root" .)
*/}}
{{- define "deepseek.labels" -}}
app.kubernetes.io/name: deepseek
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: deepseek
app.kubernetes.io/version: {{ .root.Chart.AppVersion | default .root.Chart.Version | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/*
deepseek.selectorLabels: the immutable selector labels of one component (never helm.sh/chart).
*/}}
{{- define "deepseek.selectorLabels" -}}
app.kubernetes.io/name: deepseek
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/*
deepseek.podSecurityContext / deepseek.containerSecurityContext: the restricted profile every pod
of the extension uses (non-root, RuntimeDefault seccomp, no privilege escalation, all capabilities
dropped). Call with (dict "uid" 1000) to pick the user.
*/}}
{{- define "deepseek.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid | default 1000 }}
runAsGroup: {{ .uid | default 1000 }}
fsGroup: {{ .uid | default 1000 }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "deepseek.containerSecurityContext" -}}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: {{ .readOnlyRootFilesystem | default false }}
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/*
deepseek.message: one sentence of the message catalog (files/messages.yaml of the calling chart) in
one language, its {name} placeholders filled from params, as deepseek_ext.core.messages renders it:
a list is joined with ", " in English and "、" in Chinese, {{ and }} stand for literal braces. Pass
numbers as int64 (toString of a large float64 prints an exponent) and never a null.
Call: include "deepseek.message" (dict "key" "finding.ConflictingAccelerators" "lang" "zh" "params" (dict) "root" .)
*/}}
{{- define "deepseek.message" -}}
{{- $entry := get (.root.Files.Get "files/messages.yaml" | fromYaml) .key -}}
{{- if not $entry -}}{{- fail (printf "internal error: message %s is not in files/messages.yaml" .key) -}}{{- end -}}
{{- $text := get $entry .lang -}}
{{- $separator := ternary ", " "、" (eq .lang "en") -}}
{{- range $name, $value := .params | default dict -}}
{{- if kindIs "slice" $value -}}{{- $value = join $separator $value -}}{{- end -}}
{{- $text = replace (printf "{%s}" $name) (toString $value) $text -}}
{{- end -}}
{{- $text | replace "{{" "{" | replace "}}" "}" | trim -}}
{{- end -}}

{{/*
deepseek.fail: stops the render with a catalog message, the one shape of every chart error:
"<path>: <message> Fix: <fix>" in English, then the same in Chinese on the next line (label.fix, no
spaces around it). The fix is the catalog's "<key>.fix" entry, or the key given as "fix" (for a
variant such as finding.UnknownModelTag.withNearest); `deepseek-ext validate` shows the same text
for that code. Without a path the line is the message alone.
Call: include "deepseek.fail" (dict "key" "finding.ConflictingAccelerators" "path" "backend.enableAMD" "params" (dict) "root" .)
*/}}
{{- define "deepseek.fail" -}}
{{- $catalog := .root.Files.Get "files/messages.yaml" | fromYaml -}}
{{- $fixKey := .fix | default (printf "%s.fix" .key) -}}
{{- $out := list -}}
{{- range $lang := list "en" "zh" -}}
{{- $line := include "deepseek.message" (dict "key" $.key "lang" $lang "params" $.params "root" $.root) -}}
{{- if $.path -}}{{- $line = printf "%s: %s" $.path $line -}}{{- end -}}
{{- if hasKey $catalog $fixKey -}}
{{- $label := include "deepseek.message" (dict "key" "label.fix" "lang" $lang "root" $.root) -}}
{{- $fix := include "deepseek.message" (dict "key" $fixKey "lang" $lang "params" $.params "root" $.root) -}}
{{- $gap := ternary " " "" (eq $lang "en") -}}
{{- $line = printf "%s%s%s%s%s" $line $gap $label $gap $fix -}}
{{- end -}}
{{- $out = append $out $line -}}
{{- end -}}
{{- fail (join "\n" $out) -}}
{{- end -}}
