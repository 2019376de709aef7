{{/*
Sizing of the ollama server, computed from the model catalog (files/catalog.yaml).
This is the same integer-MiB computation as deepseek_ext.core.sizing (Python), step by step: each
define below is named after the Python function it mirrors (backend.sizing.estimate is
`estimate`, backend.sizing.overrides is `overrides`, ...). The formula is written once, in the
header of files/catalog.yaml, and a differential test renders this chart for the whole matrix of
tags and settings and compares with Python. Change both or neither.
The steps share one state dict (root, cat, v = .Values, then what each step sets); a step that
meets an impossible configuration fails through deepseek.fail with the catalog key Python uses.
Sprig math is int64 (add, mul, div, max, min); ceil(a/b) is written (a+b-1)/b. Numbers read
from YAML are float64, so every comparison converts with int64 first, and a number shown in a
message is converted to int64 (toString of a large float64 prints an exponent).
*/}}

{{/*
backend.catalog: the catalog file as text. Call: include "backend.catalog" . | fromYaml
*/}}
{{- define "backend.catalog" -}}
{{- .Files.Get "files/catalog.yaml" -}}
{{- end -}}

{{/*
backend.loadCatalog: parses the catalog once per render and keeps it in the root context under
"deepseekCatalog" (renders nothing). Parsing the file costs ~10 ms and the sizing is needed by
several templates, so without this a render would parse it dozens of times.
Call: include "backend.loadCatalog" . ; then: $cat := get . "deepseekCatalog"
*/}}
{{- define "backend.loadCatalog" -}}
{{- if not (hasKey . "deepseekCatalog") -}}
{{- $_ := set . "deepseekCatalog" (include "backend.catalog" . | fromYaml) -}}
{{- end -}}
{{- end -}}

{{/*
backend.text: a YAML value as text, as Python's quantity_text: whole floats lose their ".0",
surrounding blanks go, null is "". Call: include "backend.text" .Values.model.keepAlive
*/}}
{{- define "backend.text" -}}
{{- $value := . -}}
{{- if kindIs "float64" $value -}}{{- if eq $value (floor $value) -}}{{- $value = int64 $value -}}{{- end -}}{{- end -}}
{{- if not (kindIs "invalid" $value) -}}{{- trim (toString $value) -}}{{- end -}}
{{- end -}}

{{/*
backend.tag: a model tag as text ("latest" when empty; YAML numbers such as 7 become "7"; blanks
are kept, as a tag is never trimmed). Python: tag_text.
*/}}
{{- define "backend.tag" -}}
{{- $tag := . -}}
{{- if kindIs "float64" $tag -}}{{- if eq $tag (floor $tag) -}}{{- $tag = int64 $tag -}}{{- end -}}{{- end -}}
{{- if or (kindIs "invalid" $tag) (eq (toString $tag) "") -}}latest{{- else -}}{{- toString $tag -}}{{- end -}}
{{- end -}}

{{/*
backend.ollama.tag: the ollama image tag without the -rocm suffix: backend.server.image.tag when
the user pinned one (0.1.0 configs pin "0.5.7"), else the version the catalog was tested with.
Python: ollama_tag.
*/}}
{{- define "backend.ollama.tag" -}}
{{- include "backend.loadCatalog" . -}}
{{- $cat := get . "deepseekCatalog" -}}
{{- $image := (.Values.server | default dict).image | default dict -}}
{{- $tag := $image.tag -}}
{{- if kindIs "float64" $tag -}}{{- $tag = toString $tag -}}{{- end -}}
{{- trimSuffix "-rocm" (toString ($tag | default $cat.ollama.version)) -}}
{{- end -}}

{{/*
backend.modelName: the full ollama name of the configured model: "<repository>:<tag>" for the
default registry (registry.ollama.ai/library), else "<registry>/<repository>:<tag>" (a mirror).
Python: model_name.
*/}}
{{- define "backend.modelName" -}}
{{- include "backend.loadCatalog" . -}}
{{- $cat := get . "deepseekCatalog" -}}
{{- $m := .Values.model | default dict -}}
{{- $registry := trimSuffix "/" (toString ($m.registry | default "")) -}}
{{- $ref := printf "%s:%s" (toString ($m.repository | default $cat.repository)) (include "backend.tag" $m.tag) -}}
{{- if and $registry (ne $registry "registry.ollama.ai/library") -}}
{{- printf "%s/%s" $registry $ref -}}
{{- else -}}
{{- $ref -}}
{{- end -}}
{{- end -}}

{{/*
backend.quantity: a Kubernetes quantity as an integer, rounded up: MiB for kind "memory",
millicores for kind "cpu"; renders "" when the value is not a quantity we accept (at most 12
integer and 6 fraction digits; suffixes m k M G T P E Ki Mi Gi Ti Pi Ei for memory, m for cpu).
Python: core.quantity.parse_quantity. Call: include "backend.quantity" (dict "value" "24Gi" "kind" "memory")
*/}}
{{- define "backend.quantity" -}}
{{- $s := include "backend.text" .value -}}
{{- $re := "^([0-9]{1,12})(?:\\.([0-9]{1,6}))?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$" -}}
{{- if regexMatch $re $s -}}
{{- $frac := regexReplaceAll $re $s "${2}" -}}
{{- $unit := regexReplaceAll $re $s "${3}" -}}
{{- $n := atoi (printf "%s%s" (regexReplaceAll $re $s "${1}") $frac) -}}
{{- $scale := 1 -}}
{{- range until (len $frac) -}}{{- $scale = mul $scale 10 -}}{{- end -}}
{{- $units := dict -}}
{{- if eq .kind "cpu" -}}
{{- $units = dict "" (list 1000 1) "m" (list 1 1) -}}
{{- else -}}
{{- $units = dict "" (list 1 1048576) "m" (list 1 1048576000) "k" (list 125 131072) "Ki" (list 1 1024) "Mi" (list 1 1) "Gi" (list 1024 1) "Ti" (list 1048576 1) "Pi" (list 1073741824 1) "Ei" (list 1099511627776 1) "M" (list 15625 16384) "G" (list 1953125 2048) "T" (list 244140625 256) "P" (list 30517578125 32) "E" (list 3814697265625 4) -}}
{{- end -}}
{{- if hasKey $units $unit -}}
{{- $f := get $units $unit -}}
{{- $den := mul $scale (index $f 1) -}}
{{- if le (int64 $n) (int64 (div (sub 9223372036854775807 $den) (index $f 0))) -}}
{{- div (add (mul $n (index $f 0)) (sub $den 1)) $den -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
backend.formatMemory: MiB as a quantity: "<n>Gi" when it is a whole number of GiB, else "<n>Mi".
backend.formatCpu: millicores as a quantity: "<n>" for whole cores, else "<n>m".
Python: core.quantity.format_memory, format_cpu.
*/}}
{{- define "backend.formatMemory" -}}
{{- if eq (mod (int64 .) 1024) 0 -}}{{- printf "%dGi" (div . 1024) -}}{{- else -}}{{- printf "%dMi" (int64 .) -}}{{- end -}}
{{- end -}}

{{- define "backend.formatCpu" -}}
{{- if eq (mod (int64 .) 1000) 0 -}}{{- printf "%d" (div . 1000) -}}{{- else -}}{{- printf "%dm" (int64 .) -}}{{- end -}}
{{- end -}}

{{/*
backend.lookupModel: the catalog entry (YAML) whose name or alias is "<repository>:<tag>", else "".
A registry or namespace prefix ("registry.local/library/deepseek-r1:7b") is ignored: a mirror
serves the same weights. Python: Catalog.get.
Call: include "backend.lookupModel" (dict "catalog" $cat "name" "deepseek-r1:7b")
*/}}
{{- define "backend.lookupModel" -}}
{{- $name := last (splitList "/" .name) -}}
{{- if not (contains ":" $name) -}}{{- $name = printf "%s:latest" $name -}}{{- end -}}
{{- range .catalog.models -}}
{{- if or (eq .name $name) (has $name (.aliases | default list)) -}}
{{- toYaml . -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
backend.sizing: the computed sizing of the ollama server as YAML; call
  $sizing := include "backend.sizing" . | fromYaml
Keys: accelerator (cpu|nvidia|amd), gpuResource ("nvidia.com/gpu"|"amd.com/gpu"|""), gpuCount,
resources (requests/limits, backend.server.resources merged over the computed ones: keys the user
sets win, the rest stays computed), storage (PVC size; backend.persistence.size wins), env
(OLLAMA_* of the ollama container), model (full ollama name), estimate (the formula terms, MiB).
(The replicas/ReadWriteMany rule lives with the Deployment in _helpers.tpl: it reads the live PVC.)
*/}}
{{- define "backend.sizing" -}}
{{- /* computed once per render: the values do not change while templates render */ -}}
{{- if not (hasKey . "deepseekSizing") -}}
{{- $_ := set . "deepseekSizing" (include "backend.sizing.compute" .) -}}
{{- end -}}
{{- get . "deepseekSizing" -}}
{{- end -}}

{{/*
backend.sizing.compute: the computation behind backend.sizing (uncached), the steps in Python's
order (compute_sizing); each step reads the state dict $s and sets its result on it.
*/}}
{{- define "backend.sizing.compute" -}}
{{- include "backend.loadCatalog" . -}}
{{- $s := dict "root" . "cat" (get . "deepseekCatalog") "v" .Values "estimate" (dict) -}}
{{- $_ := include "backend.sizing.checkAccelerators" $s -}}
{{- $_ := include "backend.sizing.chooseModel" $s -}}
{{- $_ := include "backend.sizing.checkOllamaVersion" $s -}}
{{- $_ := include "backend.sizing.servingSettings" $s -}}
{{- if $s.entry -}}
{{- $_ := include "backend.sizing.checkKvCacheType" $s -}}
{{- $_ := include "backend.sizing.estimate" $s -}}
{{- $_ := include "backend.sizing.loadedModels" $s -}}
{{- end -}}
{{- $_ := include "backend.sizing.userResources" $s -}}
{{- $_ := include "backend.sizing.resources" $s -}}
{{- $_ := include "backend.sizing.overrides" $s -}}
{{- $_ := include "backend.sizing.storageModels" $s -}}
{{- $_ := include "backend.sizing.storage" $s -}}
{{- $resources := dict "requests" $s.final.requests "limits" $s.final.limits -}}
{{- toYaml (dict "accelerator" $s.accelerator "gpuResource" $s.gpuResource "gpuCount" $s.final.gpuCount
  "resources" $resources "storage" $s.storage "env" $s.settings.env "model" (include "backend.modelName" .)
  "estimate" $s.estimate "loaded" ($s.loaded | default dict)) -}}
{{- end -}}

{{/*
backend.sizing.checkAccelerators: sets accelerator (cpu|nvidia|amd) and gpuResource; fails when both
GPU vendors are enabled. Python: check_accelerators.
*/}}
{{- define "backend.sizing.checkAccelerators" -}}
{{- if and .v.enableNvidia .v.enableAMD -}}
{{- include "deepseek.fail" (dict "key" "finding.ConflictingAccelerators" "path" "backend.enableAMD" "root" .root) -}}
{{- end -}}
{{- $acc := "cpu" -}}
{{- if .v.enableNvidia -}}{{- $acc = "nvidia" -}}{{- else if .v.enableAMD -}}{{- $acc = "amd" -}}{{- end -}}
{{- $_ := set . "accelerator" $acc -}}
{{- $_ := set . "gpuResource" (get (dict "nvidia" "nvidia.com/gpu" "amd" "amd.com/gpu") $acc) -}}
{{- end -}}

{{/*
backend.sizing.chooseModel: sets repository, tag, name ("<repository>:<tag>") and entry (the catalog
entry, an empty dict outside the catalog); fails on a tag of the catalog's repository that the
library does not have. Python: choose_model.
*/}}
{{- define "backend.sizing.chooseModel" -}}
{{- $m := .v.model | default dict -}}
{{- $repo := toString ($m.repository | default .cat.repository) -}}
{{- $tag := include "backend.tag" $m.tag -}}
{{- $name := printf "%s:%s" $repo $tag -}}
{{- $entryText := include "backend.lookupModel" (dict "catalog" .cat "name" $name) -}}
{{- $entry := dict -}}
{{- if $entryText -}}{{- $entry = $entryText | fromYaml -}}{{- end -}}
{{- if and (not $entry) (eq $repo .cat.repository) -}}
{{- include "backend.sizing.unknownTag" (dict "catalog" .cat "tag" $tag "path" "backend.model.tag" "root" .root) -}}
{{- end -}}
{{- $_ := set . "repository" $repo -}}
{{- $_ := set . "tag" $tag -}}
{{- $_ := set . "name" $name -}}
{{- $_ := set . "entry" $entry -}}
{{- end -}}

{{/*
backend.sizing.unknownTag: fails for a deepseek-r1 tag the ollama library does not have, naming
the nearest real tags (backend.sizing.nearestTags) and every valid tag.
Python: unknown_tag_finding.
Call: include "backend.sizing.unknownTag" (dict "catalog" $cat "tag" "3b" "path" "backend.model.tag" "root" .)
*/}}
{{- define "backend.sizing.unknownTag" -}}
{{- $tags := list -}}
{{- range .catalog.models -}}{{- $tags = append $tags (last (splitList ":" .name)) -}}{{- end -}}
{{- $near := include "backend.sizing.nearestTags" (dict "catalog" .catalog "tag" .tag) | fromJsonArray -}}
{{- $params := dict "name" (printf "%s:%s" .catalog.repository .tag) "nearest" $near "tags" $tags "path" .path -}}
{{- $key := ternary "finding.UnknownModelTag.withNearest" "finding.UnknownModelTag" (gt (len $near) 0) -}}
{{- $fix := "finding.UnknownModelTag.fix" -}}
{{- /* `tag: deepseek-r1:7b`: say to write the tag alone (Python: validation.full_name_tag_fix). */ -}}
{{- if and (eq .path "backend.model.tag") (contains ":" .tag) -}}
{{- $parts := splitList ":" .tag -}}
{{- $alone := last $parts -}}
{{- if and $alone (eq (last (splitList "/" (join ":" (initial $parts)))) (last (splitList "/" .catalog.repository))) -}}
{{- $fix = "finding.UnknownModelTag.fix.tagAlone" -}}
{{- $_ := set $params "tagAlone" $alone -}}
{{- end -}}
{{- end -}}
{{- include "deepseek.fail" (dict "key" $key "fix" $fix "path" .path "params" $params "root" .root) -}}
{{- end -}}

{{/*
backend.sizing.nearestTags: the real tags nearest to a tag the library does not have, as a JSON
list; the first rule that finds something wins: (1) the tag compared without case, after its last
":"; (2) the tags continuing it after a "-", dropping its last "-" part until some do; (3) by
size: the plain size tag of the same size, else those just below and above; (4) none.
Python: Catalog.nearest. Call: include "backend.sizing.nearestTags" (dict "catalog" $cat "tag" "3b")
*/}}
{{- define "backend.sizing.nearestTags" -}}
{{- $every := list -}}
{{- range .catalog.models -}}
{{- $every = append $every (last (splitList ":" .name)) -}}
{{- range (.aliases | default list) -}}{{- $every = append $every (last (splitList ":" .)) -}}{{- end -}}
{{- end -}}
{{- $text := trim (last (splitList ":" (toString .tag))) -}}
{{- $lowered := lower $text -}}
{{- $near := list -}}
{{- range $every -}}{{- if and (eq (lower .) $lowered) (ne . (toString $.tag)) -}}{{- $near = append $near . -}}{{- end -}}{{- end -}}
{{- $parts := splitList "-" $lowered -}}
{{- range $i := until (len $parts) -}}
{{- if not $near -}}
{{- $prefix := printf "%s-" (join "-" (slice $parts 0 (sub (len $parts) $i))) -}}
{{- range $every -}}{{- if hasPrefix $prefix (lower .) -}}{{- $near = append $near . -}}{{- end -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- $size := regexFind "^[0-9]+(\\.[0-9]+)?" $lowered -}}
{{- if and (not $near) $size -}}
{{- $below := "" -}}{{- $above := "" -}}
{{- range .catalog.models -}}
{{- $t := last (splitList ":" .name) -}}
{{- $s := regexFind "^[0-9]+(\\.[0-9]+)?" $t -}}
{{- if eq $t (printf "%sb" $s) -}}
{{- if lt (float64 $s) (float64 $size) -}}{{- $below = $t -}}{{- end -}}
{{- if and (gt (float64 $s) (float64 $size)) (not $above) -}}{{- $above = $t -}}{{- end -}}
{{- if eq (float64 $s) (float64 $size) -}}{{- $near = append $near $t -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- if not $near -}}{{- $near = compact (list $below $above) -}}{{- end -}}
{{- end -}}
{{- toJson $near -}}
{{- end -}}

{{/*
backend.sizing.checkOllamaVersion: fails when the ollama image tag is older than the model needs
(unchecked with a digest or a tag that is not a version). Python: check_ollama_version.
*/}}
{{- define "backend.sizing.checkOllamaVersion" -}}
{{- $tag := include "backend.ollama.tag" .root -}}
{{- $version := trimPrefix "v" (regexFind "^v?[0-9]+\\.[0-9]+\\.[0-9]+" $tag) -}}
{{- $image := (.v.server | default dict).image | default dict -}}
{{- if and .entry $version (not $image.digest) -}}
{{- if semverCompare (printf "<%s" .entry.min_ollama) $version -}}
{{- $params := dict "model" .entry.name "minOllama" .entry.min_ollama "tag" $tag "tested" .cat.ollama.version -}}
{{- include "deepseek.fail" (dict "key" "finding.OllamaTooOld" "path" "backend.server.image.tag" "params" $params "root" .root) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
backend.sizing.servingSettings: sets settings (context capped at the model's, parallel, kvCacheType) and
its env (the ollama container's OLLAMA_* variables). Python: serving_settings.
*/}}
{{- define "backend.sizing.servingSettings" -}}
{{- $m := .v.model | default dict -}}
{{- $ctx := int64 (default 8192 $m.contextLength) -}}
{{- if .entry -}}{{- $ctx = min $ctx (int64 .entry.max_context) -}}{{- end -}}
{{- $par := int64 (default 1 $m.parallel) -}}
{{- $kvType := toString (default "f16" $m.kvCacheType) -}}
{{- $keepAlive := include "backend.text" $m.keepAlive | default "-1" -}}
{{- $maxLoaded := int64 (default 1 ((.v.server | default dict).maxLoadedModels)) -}}
{{- $env := dict "OLLAMA_CONTEXT_LENGTH" (toString $ctx) "OLLAMA_NUM_PARALLEL" (toString $par) "OLLAMA_KV_CACHE_TYPE" $kvType "OLLAMA_KEEP_ALIVE" $keepAlive -}}
{{- /* ollama 0.32.15 defaults to 3 loaded models (server/sched.go:86,280-288), with no memory check on CPU; the pod is sized for this many (loadedModels) */ -}}
{{- $_ := set $env "OLLAMA_MAX_LOADED_MODELS" (toString $maxLoaded) -}}
{{- /* ollama quantizes the KV cache only with flash attention on (reference section 2) */ -}}
{{- if ne $kvType "f16" -}}{{- $_ := set $env "OLLAMA_FLASH_ATTENTION" "1" -}}{{- end -}}
{{- $_ := set . "settings" (dict "context" $ctx "parallel" $par "kvCacheType" $kvType "maxLoaded" $maxLoaded "env" $env) -}}
{{- end -}}

{{/*
backend.sizing.checkKvCacheType: fails on a KV cache type the formula has no element size for.
Python: check_kv_cache_type.
*/}}
{{- define "backend.sizing.checkKvCacheType" -}}
{{- if not (has .settings.kvCacheType (list "f16" "q8_0" "q4_0")) -}}
{{- $params := dict "given" .settings.kvCacheType -}}
{{- include "deepseek.fail" (dict "key" "finding.InvalidValue.kvCacheType" "path" "backend.model.kvCacheType" "params" $params "root" .root) -}}
{{- end -}}
{{- end -}}

{{/*
backend.sizing.estimate: sets estimate, the terms of the formula in MiB (files/catalog.yaml
header): weights, KV cache, compute graph, one layer, and what CPU or GPU serving needs.
Python: core.formula.estimate.
*/}}
{{- define "backend.sizing.estimate" -}}
{{- $e := .entry -}}{{- $S := .cat.sizing -}}{{- $MiB := 1048576 -}}
{{- $ctxTotal := mul (min (int64 .settings.context) (int64 $e.max_context)) .settings.parallel -}}
{{- $nibbles := get (dict "f16" 4 "q8_0" 2 "q4_0" 1) .settings.kvCacheType -}}
{{- $weights := div (add $e.download_bytes (sub $MiB 1)) $MiB -}}
{{- $layer := div (add $weights (sub $e.layers 1)) $e.layers -}}
{{- $kvNibbles := mul $e.layers $e.kv_heads (add $e.head_dim_k $e.head_dim_v) $ctxTotal $nibbles -}}
{{- $kv := div (add $kvNibbles (sub (mul 2 $MiB) 1)) (mul 2 $MiB) -}}
{{- $graphArgs := dict "entry" $e "contextTotal" $ctxTotal "kvNibbles" $kvNibbles "batch" $S.batch -}}
{{- $graph := div (add (atoi (include "backend.sizing.graphBytes" $graphArgs)) (sub $MiB 1)) $MiB -}}
{{- $needCpu := add $weights $kv $graph $S.cpu_overhead_mib -}}
{{- $needGpu := add $weights $kv $graph $S.gpu_minimum_mib $layer -}}
{{- $_ := set . "estimate" (dict "weightsMiB" $weights "kvMiB" $kv "graphMiB" $graph "layerMiB" $layer "needCpuMiB" $needCpu "needGpuMiB" $needGpu) -}}
{{- end -}}

{{/*
backend.sizing.loadedModels: sets loaded (maxLoadedModels, models, estimate): the largest
settings.maxLoaded of the configured model and the catalog models of backend.models, each
estimated with the serving settings and ranked by its need on CPU (config order breaks ties),
and their terms summed. Names outside the catalog are left out. Python: core.formula.loaded_models.
*/}}
{{- define "backend.sizing.loadedModels" -}}
{{- $candidates := list .entry -}}{{- $seen := list .entry.name -}}
{{- range .v.models | default list -}}
{{- $text := include "backend.lookupModel" (dict "catalog" $.cat "name" (toString .)) -}}
{{- if $text -}}{{- $e := $text | fromYaml -}}
{{- if not (has $e.name $seen) -}}{{- $seen = append $seen $e.name -}}{{- $candidates = append $candidates $e -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- $estimates := list -}}
{{- range $candidates -}}
{{- $st := dict "entry" . "cat" $.cat "settings" $.settings -}}
{{- $_ := include "backend.sizing.estimate" $st -}}
{{- $estimates = append $estimates $st.estimate -}}
{{- end -}}
{{- $picked := list -}}
{{- range until (min (int64 .settings.maxLoaded) (len $candidates) | int) -}}
{{- $best := -1 -}}
{{- range $i, $est := $estimates -}}
{{- if not (has $i $picked) -}}
{{- if or (lt $best 0) (gt (int64 $est.needCpuMiB) (int64 (index $estimates $best).needCpuMiB)) -}}{{- $best = $i -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- $picked = append $picked $best -}}
{{- end -}}
{{- $names := list -}}{{- $sum := dict -}}
{{- range $k := list "weightsMiB" "kvMiB" "graphMiB" "layerMiB" "needCpuMiB" "needGpuMiB" -}}{{- $_ := set $sum $k 0 -}}{{- end -}}
{{- range $i := $picked -}}
{{- $names = append $names (index $candidates $i).name -}}
{{- $est := index $estimates $i -}}
{{- range $k, $v := $sum -}}{{- $_ := set $sum $k (add $v (get $est $k)) -}}{{- end -}}
{{- end -}}
{{- $_ := set . "loaded" (dict "maxLoadedModels" .settings.maxLoaded "models" $names "estimate" $sum) -}}
{{- $_ := set . "loadedEntry" (index $candidates (first $picked)) -}}
{{- end -}}

{{/*
backend.sizing.graphBytes: the compute-graph buffer of ollama's classic estimator (fs/ggml
GraphSize, full offload), in bytes. Python: core.formula.graph_bytes.
*/}}
{{- define "backend.sizing.graphBytes" -}}
{{- $e := .entry -}}{{- $ctx := int64 .contextTotal -}}
{{- $b := min $ctx (int64 .batch) -}}
{{- $emb := int64 $e.embedding -}}{{- $vocab := int64 $e.vocab -}}
{{- $heads := int64 $e.head_count -}}{{- $kvh := int64 $e.kv_heads -}}
{{- if eq $e.family "qwen2" -}}
{{- mul 4 $b (max (add $emb $vocab) (add 1 (mul 2 $emb) $ctx (mul $ctx $heads))) -}}
{{- else if eq $e.family "llama" -}}
{{- mul 4 $b (max (add 1 (mul 4 $emb) (mul $ctx (add 1 $heads))) (add $emb $vocab)) -}}
{{- else if eq $e.family "deepseek2" -}}
{{- mul 4 $b (max (add (mul 3 $emb) $vocab) (add (mul 3 $emb) 2 (mul $ctx (add 1 $kvh)) (mul 2 $e.head_dim_k $kvh))) -}}
{{- else -}}
{{- /* ollama's fallback for other architectures (qwen3 here): GQA x KV bytes / 6 */ -}}
{{- div (mul (div $heads $kvh) .kvNibbles) 12 -}}
{{- end -}}
{{- end -}}

{{/*
backend.sizing.userResources: sets user (requests and limits of backend.server.resources).
Python: user_resources.
*/}}
{{- define "backend.sizing.userResources" -}}
{{- $res := (.v.server | default dict).resources | default dict -}}
{{- $_ := set . "user" (dict "requests" ($res.requests | default dict) "limits" ($res.limits | default dict)) -}}
{{- end -}}

{{/*
backend.sizing.userGpu: the GPU count the user set (limits first, then requests) as text, "" when
none is set. Python: user_gpu.
*/}}
{{- define "backend.sizing.userGpu" -}}
{{- if .gpuResource -}}
{{- if hasKey .user.limits .gpuResource -}}{{- include "backend.text" (get .user.limits .gpuResource) -}}
{{- else if hasKey .user.requests .gpuResource -}}{{- include "backend.text" (get .user.requests .gpuResource) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
backend.sizing.resources: sets computed (requests, limits, gpuCount) before the user's resources
win: CPU sizing, GPU sizing, or the minimum for a model outside the catalog. Python: resources.
*/}}
{{- define "backend.sizing.resources" -}}
{{- if not .entry -}}
{{- $_ := include "backend.sizing.customResources" . -}}
{{- else if eq .accelerator "cpu" -}}
{{- $_ := include "backend.sizing.cpuResources" . -}}
{{- else -}}
{{- $_ := include "backend.sizing.gpuResources" . -}}
{{- end -}}
{{- end -}}

{{/*
backend.sizing.cpuResources: memory = the estimate, the limit with headroom; CPU by model size,
no CPU limit (CFS throttling would stall ollama's per-core threads). Python: core.formula.cpu_resources.
*/}}
{{- define "backend.sizing.cpuResources" -}}
{{- $S := .cat.sizing -}}{{- $need := .loaded.estimate.needCpuMiB -}}
{{- $headroom := max (div (mul $need $S.limit_headroom_percent) 100) $S.cpu_overhead_mib -}}
{{- $cores := min (add 2 (div .loaded.estimate.weightsMiB 4096)) 16 -}}
{{- $req := dict "cpu" (include "backend.formatCpu" (mul $cores 1000)) "memory" (include "backend.formatMemory" (mul (div (add $need 255) 256) 256)) -}}
{{- $lim := dict "memory" (include "backend.formatMemory" (mul (div (add $need $headroom 255) 256) 256)) -}}
{{- $_ := set . "computed" (dict "requests" $req "limits" $lim "gpuCount" 0) -}}
{{- end -}}

{{/*
backend.sizing.gpuResources: host memory and CPU on GPUs, plus the GPU count unless the user set
one; fails when backend.gpu.memoryPerGPU is not a quantity. Python: gpu_resources.
*/}}
{{- define "backend.sizing.gpuResources" -}}
{{- $S := .cat.sizing -}}{{- $est := .loaded.estimate -}}
{{- $memText := include "backend.text" (.v.gpu | default dict).memoryPerGPU | default $S.default_gpu_memory -}}
{{- $memMiB := include "backend.quantity" (dict "value" $memText "kind" "memory") -}}
{{- if eq $memMiB "" -}}
{{- include "backend.sizing.invalidQuantity" (dict "path" "backend.gpu.memoryPerGPU" "value" $memText "root" .root) -}}
{{- end -}}
{{- $hostReq := mul (div (add $S.cpu_overhead_mib $est.layerMiB 255) 256) 256 -}}
{{- $hostLim := mul (div (add $hostReq (div $est.weightsMiB 4) 255) 256) 256 -}}
{{- $req := dict "cpu" "2" "memory" (include "backend.formatMemory" $hostReq) -}}
{{- $lim := dict "memory" (include "backend.formatMemory" $hostLim) -}}
{{- $count := 0 -}}
{{- if not (include "backend.sizing.userGpu" .) -}}
{{- $args := dict "estimate" $est "memoryMiB" (atoi $memMiB) "memoryText" $memText "model" .loadedEntry "context" .settings.context "sizing" $S "root" .root -}}
{{- $count = atoi (include "backend.sizing.countGpus" $args) -}}
{{- $_ := set $req .gpuResource $count -}}
{{- $_ := set $lim .gpuResource $count -}}
{{- end -}}
{{- $_ := set . "computed" (dict "requests" $req "limits" $lim "gpuCount" $count) -}}
{{- end -}}

{{/*
backend.sizing.countGpus: the smallest number of GPUs that hold the model; fails when one GPU
cannot even hold the overhead, or the model needs more GPUs than one node has. Python: count_gpus.
*/}}
{{- define "backend.sizing.countGpus" -}}
{{- $S := .sizing -}}{{- $est := .estimate -}}
{{- $usable := sub (sub (sub (div (mul .memoryMiB $S.gpu_usable_percent) 100) $S.gpu_minimum_mib) $est.graphMiB) $est.layerMiB -}}
{{- $params := dict "given" .memoryText "model" .model.name "context" (int64 .context) -}}
{{- if le (int64 $usable) 0 -}}
{{- $_ := set $params "neededMiB" (int64 (add $S.gpu_minimum_mib $est.graphMiB $est.layerMiB)) -}}
{{- include "deepseek.fail" (dict "key" "finding.GpuTooSmall" "path" "backend.gpu.memoryPerGPU" "params" $params "root" .root) -}}
{{- end -}}
{{- $count := div (add $est.weightsMiB $est.kvMiB (sub $usable 1)) $usable -}}
{{- if gt (int64 $count) (int64 $S.max_gpus) -}}
{{- $_ := set $params "count" (int64 $count) -}}
{{- $_ := set $params "max" (int64 $S.max_gpus) -}}
{{- include "deepseek.fail" (dict "key" "finding.GpuCountExceedsNode" "path" "backend.gpu.memoryPerGPU" "params" $params "root" .root) -}}
{{- end -}}
{{- $count -}}
{{- end -}}

{{/*
backend.sizing.customResources: a model outside the catalog gets 2 CPUs and one GPU; its memory
must come from the user (fails otherwise). Python: custom_resources.
*/}}
{{- define "backend.sizing.customResources" -}}
{{- if not (or (hasKey .user.requests "memory") (hasKey .user.limits "memory")) -}}
{{- include "deepseek.fail" (dict "key" "finding.CustomModelNeedsResources" "path" "backend.server.resources" "params" (dict "model" .name) "root" .root) -}}
{{- end -}}
{{- $computed := dict "requests" (dict "cpu" "2") "limits" (dict) "gpuCount" 0 -}}
{{- if .gpuResource -}}
{{- $_ := set $computed.requests .gpuResource 1 -}}
{{- $_ := set $computed.limits .gpuResource 1 -}}
{{- $_ := set $computed "gpuCount" 1 -}}
{{- end -}}
{{- $_ := set . "computed" $computed -}}
{{- end -}}

{{/*
backend.sizing.overrides: sets final: backend.server.resources win key by key over computed, the
computed other side follows them; a user GPU count replaces the computed one. Python: overrides.
*/}}
{{- define "backend.sizing.overrides" -}}
{{- $req := deepCopy .computed.requests -}}{{- $lim := deepCopy .computed.limits -}}
{{- range $k, $val := .user.requests -}}{{- $_ := set $req $k $val -}}{{- end -}}
{{- range $k, $val := .user.limits -}}{{- $_ := set $lim $k $val -}}{{- end -}}
{{- $pair := dict "requests" $req "limits" $lim -}}
{{- range $k := keys $req $lim | uniq | sortAlpha -}}
{{- $args := dict "key" $k "pair" $pair "user" $.user "root" $.root -}}
{{- if or (eq $k "cpu") (eq $k "memory") -}}
{{- $_ := include "backend.sizing.overrideQuantity" $args -}}
{{- else -}}
{{- $_ := include "backend.sizing.overrideExtended" $args -}}
{{- end -}}
{{- end -}}
{{- $count := .computed.gpuCount -}}
{{- if and .gpuResource (include "backend.sizing.userGpu" .) -}}
{{- $count = atoi (include "backend.text" (get $lim .gpuResource)) -}}
{{- end -}}
{{- $_ := set . "final" (dict "requests" $req "limits" $lim "gpuCount" $count) -}}
{{- end -}}

{{/*
backend.sizing.overrideQuantity: cpu or memory in both requests and limits: each must be a
quantity; a side the user left out follows the one they set when it would be above it; both set
with requests above limits fails. Python: _override_quantity.
*/}}
{{- define "backend.sizing.overrideQuantity" -}}
{{- $k := .key -}}{{- $req := .pair.requests -}}{{- $lim := .pair.limits -}}
{{- if and (hasKey $req $k) (hasKey $lim $k) -}}
{{- range $side := list "requests" "limits" -}}
{{- $value := get (get $.pair $side) $k -}}
{{- if eq (include "backend.quantity" (dict "value" $value "kind" $k)) "" -}}
{{- include "backend.sizing.invalidQuantity" (dict "path" (printf "backend.server.resources.%s.%s" $side $k) "value" $value "kind" $k "root" $.root) -}}
{{- end -}}
{{- end -}}
{{- $r := atoi (include "backend.quantity" (dict "value" (get $req $k) "kind" $k)) -}}
{{- $l := atoi (include "backend.quantity" (dict "value" (get $lim $k) "kind" $k)) -}}
{{- $inReq := hasKey .user.requests $k -}}{{- $inLim := hasKey .user.limits $k -}}
{{- if and (gt $r $l) $inLim (not $inReq) -}}{{- $_ := set $req $k (get $lim $k) -}}
{{- else if and (gt $r $l) $inReq (not $inLim) -}}{{- $_ := set $lim $k (get $req $k) -}}
{{- else if gt $r $l -}}
{{- $params := dict "resource" $k "request" (include "backend.text" (get $req $k)) "limit" (include "backend.text" (get $lim $k)) -}}
{{- include "deepseek.fail" (dict "key" "finding.RequestAboveLimit" "path" (printf "backend.server.resources.requests.%s" $k) "params" $params "root" .root) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
backend.sizing.overrideExtended: an extended resource (a GPU): one side set by the user sets both;
both set must be equal. Python: _override_extended.
*/}}
{{- define "backend.sizing.overrideExtended" -}}
{{- $k := .key -}}
{{- $inReq := hasKey .user.requests $k -}}{{- $inLim := hasKey .user.limits $k -}}
{{- if and $inReq (not $inLim) -}}{{- $_ := set .pair.limits $k (get .user.requests $k) -}}{{- end -}}
{{- if and $inLim (not $inReq) -}}{{- $_ := set .pair.requests $k (get .user.limits $k) -}}{{- end -}}
{{- $request := include "backend.text" (get .user.requests $k) -}}
{{- $limit := include "backend.text" (get .user.limits $k) -}}
{{- if and $inReq $inLim (ne $request $limit) -}}
{{- $params := dict "resource" $k "request" $request "limit" $limit -}}
{{- include "deepseek.fail" (dict "key" "finding.ExtendedResourceMismatch" "path" (printf "backend.server.resources.requests.%s" $k) "params" $params "root" .root) -}}
{{- end -}}
{{- end -}}

{{/*
backend.sizing.invalidQuantity: fails for a value that is not a Kubernetes quantity, with examples
for its path (or resource kind). Python: invalid_quantity and QUANTITY_EXAMPLES.
Call: include "backend.sizing.invalidQuantity" (dict "path" "backend.persistence.size" "value" $v "kind" "" "root" .)
*/}}
{{- define "backend.sizing.invalidQuantity" -}}
{{- $examples := dict "backend.gpu.memoryPerGPU" (list "16Gi" "24Gi" "80Gi") "backend.persistence.size" (list "50Gi") "cpu" (list "500m" "2") "memory" (list "8Gi") -}}
{{- $params := dict "given" (include "backend.text" .value) "examples" (get $examples (.kind | default .path)) -}}
{{- include "deepseek.fail" (dict "key" "finding.InvalidQuantity" "path" .path "params" $params "root" .root) -}}
{{- end -}}

{{/*
backend.sizing.storageModels: sets models: names (the configured model, then backend.models),
weights (MiB of each distinct catalog model) and unknown (the first name outside the catalog, or
""); fails on an extra with an unknown tag of the catalog's repository. Python: storage_models.
*/}}
{{- define "backend.sizing.storageModels" -}}
{{- $MiB := 1048576 -}}
{{- $names := list .name -}}
{{- range .v.models | default list -}}{{- $names = append $names (toString .) -}}{{- end -}}
{{- $weights := list -}}{{- $seen := list -}}{{- $unknown := "" -}}
{{- range $i, $n := $names -}}
{{- $e := include "backend.lookupModel" (dict "catalog" $.cat "name" $n) -}}
{{- if $e -}}
{{- $em := $e | fromYaml -}}
{{- if not (has $em.name $seen) -}}
{{- $seen = append $seen $em.name -}}
{{- $weights = append $weights (div (add $em.download_bytes (sub $MiB 1)) $MiB) -}}
{{- end -}}
{{- else -}}
{{- $short := last (splitList "/" $n) -}}
{{- if and (gt $i 0) (eq (first (splitList ":" $short)) $.cat.repository) -}}
{{- $extraTag := default "latest" (last (rest (splitList ":" $short))) -}}
{{- include "backend.sizing.unknownTag" (dict "catalog" $.cat "tag" $extraTag "path" (printf "backend.models[%d]" (sub $i 1)) "root" $.root) -}}
{{- end -}}
{{- if not $unknown -}}{{- $unknown = $n -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- $_ := set . "models" (dict "names" $names "weights" $weights "unknown" $unknown) -}}
{{- end -}}

{{/*
backend.sizing.storage: sets storage, the PVC size: backend.persistence.size when set (it must be
a quantity that holds the catalog models), else the models plus room to re-pull the largest plus
1 GiB, in whole GiB, at least the floor; a model outside the catalog needs an explicit size.
Python: storage (and core.formula.recommended_storage).
*/}}
{{- define "backend.sizing.storage" -}}
{{- $size := include "backend.text" (.v.persistence | default dict).size -}}
{{- $sum := 0 -}}{{- $largest := 0 -}}
{{- range .models.weights -}}{{- $sum = add $sum . -}}{{- $largest = max $largest . -}}{{- end -}}
{{- $recommended := printf "%dGi" (max (div (add $sum $largest 1024 1023) 1024) (int64 .cat.sizing.storage_floor_gib)) -}}
{{- if $size -}}
{{- $sizeMiB := include "backend.quantity" (dict "value" $size "kind" "memory") -}}
{{- if eq $sizeMiB "" -}}
{{- include "backend.sizing.invalidQuantity" (dict "path" "backend.persistence.size" "value" $size "root" .root) -}}
{{- end -}}
{{- if and (not .models.unknown) (lt (int64 (atoi $sizeMiB)) (int64 $sum)) -}}
{{- $params := dict "given" $size "neededMiB" (int64 $sum) "models" .models.names "recommended" $recommended -}}
{{- include "deepseek.fail" (dict "key" "finding.StorageTooSmall" "path" "backend.persistence.size" "params" $params "root" .root) -}}
{{- end -}}
{{- $_ := set . "storage" $size -}}
{{- else if .models.unknown -}}
{{- include "deepseek.fail" (dict "key" "finding.CustomModelNeedsStorage" "path" "backend.persistence.size" "params" (dict "model" .models.unknown) "root" .root) -}}
{{- else -}}
{{- $_ := set . "storage" $recommended -}}
{{- end -}}
{{- end -}}
