{{/*
Sizing of the ollama server, computed from the model catalog (files/catalog.yaml).
This is the same integer-MiB computation as deepseek_ext.core.sizing (Python); the formula is
written once, in the header of files/catalog.yaml, and a differential test renders this chart
for every catalog tag and compares with `deepseek-ext resolve`. Change both or neither.
Sprig math is int64 (add, mul, div, max, min); ceil(a/b) is written (a+b-1)/b. Numbers read
from YAML are float64, so every comparison converts with int64 first.
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
backend.ollamaTag: the ollama image tag without the -rocm suffix: backend.server.image.tag, else
the version this release is tested with (catalog ollama.version).
*/}}
{{- define "backend.ollamaTag" -}}
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
backend.tag: a model tag as text ("latest" when empty; YAML numbers such as 7 become "7").
*/}}
{{- define "backend.tag" -}}
{{- $tag := . -}}
{{- if kindIs "float64" $tag -}}{{- if eq $tag (floor $tag) -}}{{- $tag = int64 $tag -}}{{- end -}}{{- end -}}
{{- if or (kindIs "invalid" $tag) (eq (toString $tag) "") -}}latest{{- else -}}{{- toString $tag -}}{{- end -}}
{{- end -}}

{{/*
backend.quantity: a Kubernetes quantity as an integer, rounded up: MiB for kind "memory",
millicores for kind "cpu"; renders "" when the value is not a quantity we accept (at most 12
integer and 6 fraction digits; suffixes m k M G T P E Ki Mi Gi Ti Pi Ei for memory, m for cpu).
Call: include "backend.quantity" (dict "value" "24Gi" "kind" "memory")
*/}}
{{- define "backend.quantity" -}}
{{- $raw := .value -}}
{{- if kindIs "float64" $raw -}}{{- if eq $raw (floor $raw) -}}{{- $raw = int64 $raw -}}{{- end -}}{{- end -}}
{{- $s := trim (toString $raw) -}}
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
backend.lookupModel: the catalog entry (YAML) whose name or alias is "<repository>:<tag>", else "".
A registry or namespace prefix ("registry.local/library/deepseek-r1:7b") is ignored: a mirror
serves the same weights. Call: include "backend.lookupModel" (dict "catalog" $cat "name" "deepseek-r1:7b")
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
backend.unknownTag: fails with the message for a deepseek-r1 tag the ollama library does not have,
naming the nearest sizes (the catalog tags just below and above the requested size) and every
valid tag. Call: include "backend.unknownTag" (dict "catalog" $cat "tag" "3b" "path" "backend.model.tag")
*/}}
{{- define "backend.unknownTag" -}}
{{- $tags := list -}}
{{- range .catalog.models -}}{{- $tags = append $tags (last (splitList ":" .name)) -}}{{- end -}}
{{- $near := list -}}
{{- $size := regexFind "^[0-9]+(\\.[0-9]+)?" .tag -}}
{{- if $size -}}
{{- $below := "" -}}{{- $above := "" -}}
{{- range $tags -}}
{{- $s := regexFind "^[0-9]+(\\.[0-9]+)?" . -}}
{{- if and (eq . (printf "%sb" $s)) (lt (float64 $s) (float64 $size)) -}}{{- $below = . -}}{{- end -}}
{{- if and (eq . (printf "%sb" $s)) (gt (float64 $s) (float64 $size)) (not $above) -}}{{- $above = . -}}{{- end -}}
{{- if and (eq . (printf "%sb" $s)) (eq (float64 $s) (float64 $size)) -}}{{- $near = append $near . -}}{{- end -}}
{{- end -}}
{{- if not $near -}}{{- $near = compact (list $below $above) -}}{{- end -}}
{{- end -}}
{{- $hint := "" -}}
{{- if $near -}}{{- $hint = printf " Nearest: %s (最接近的: %s)." (join ", " $near) (join ", " $near) -}}{{- end -}}
{{- fail (printf "%s: the ollama library has no tag %s:%s (ollama 模型库中没有 %s:%s).%s Valid tags (可用的标签): %s. Fix: set %s to one of them (修复: 将 %s 设为其中之一)." .path .catalog.repository .tag .catalog.repository .tag $hint (join ", " $tags) .path .path) -}}
{{- end -}}

{{/*
backend.sizing: the computed sizing of the ollama server as YAML; call
  $sizing := include "backend.sizing" . | fromYaml
Keys: accelerator (cpu|nvidia|amd), gpuResource ("nvidia.com/gpu"|"amd.com/gpu"|""), gpuCount,
resources (requests/limits, backend.server.resources merged over the computed ones: keys the user
sets win, the rest stays computed), storage (PVC size; backend.persistence.size wins), env
(OLLAMA_* of the ollama container), model (full ollama name), estimate (the formula terms, MiB).
Impossible configurations fail with a message in English and Chinese that says the fix. (The
replicas/ReadWriteMany rule lives with the Deployment in _helpers.tpl: it reads the live PVC.)
*/}}
{{- define "backend.sizing" -}}
{{- /* computed once per render: the values do not change while templates render */ -}}
{{- if not (hasKey . "deepseekSizing") -}}
{{- $_ := set . "deepseekSizing" (include "backend.sizing.compute" .) -}}
{{- end -}}
{{- get . "deepseekSizing" -}}
{{- end -}}

{{/*
backend.sizing.compute: the computation behind backend.sizing (uncached).
*/}}
{{- define "backend.sizing.compute" -}}
{{- include "backend.loadCatalog" . -}}
{{- $cat := get . "deepseekCatalog" -}}
{{- $S := $cat.sizing -}}
{{- $v := .Values -}}
{{- $m := $v.model | default dict -}}
{{- $server := $v.server | default dict -}}
{{- $image := $server.image | default dict -}}
{{- $gpu := $v.gpu | default dict -}}
{{- $pers := $v.persistence | default dict -}}
{{- $userRes := $server.resources | default dict -}}
{{- $userReq := $userRes.requests | default dict -}}
{{- $userLim := $userRes.limits | default dict -}}
{{- $MiB := 1048576 -}}

{{- /* accelerator */ -}}
{{- if and $v.enableNvidia $v.enableAMD -}}
{{- include "deepseek.fail" (dict "key" "finding.ConflictingAccelerators" "path" "backend.enableAMD" "root" .) -}}
{{- end -}}
{{- $acc := "cpu" -}}{{- $gpuResource := "" -}}
{{- if $v.enableNvidia -}}{{- $acc = "nvidia" -}}{{- $gpuResource = "nvidia.com/gpu" -}}{{- end -}}
{{- if $v.enableAMD -}}{{- $acc = "amd" -}}{{- $gpuResource = "amd.com/gpu" -}}{{- end -}}

{{- /* the model */ -}}
{{- $repo := toString ($m.repository | default $cat.repository) -}}
{{- $tag := include "backend.tag" $m.tag -}}
{{- $entryText := include "backend.lookupModel" (dict "catalog" $cat "name" (printf "%s:%s" $repo $tag)) -}}
{{- $entry := dict -}}
{{- if $entryText -}}{{- $entry = $entryText | fromYaml -}}{{- end -}}
{{- if and (not $entry) (eq $repo $cat.repository) -}}
{{- include "backend.unknownTag" (dict "catalog" $cat "tag" $tag "path" "backend.model.tag") -}}
{{- end -}}

{{- /* ollama version */ -}}
{{- $ollamaTag := include "backend.ollamaTag" . -}}
{{- $version := trimPrefix "v" (regexFind "^v?[0-9]+\\.[0-9]+\\.[0-9]+" $ollamaTag) -}}
{{- if and $entry $version (not $image.digest) -}}
{{- if semverCompare (printf "<%s" $entry.min_ollama) $version -}}
{{- fail (printf "backend.server.image.tag: %s needs ollama >= %s, the image tag is %q (%s 需要 ollama >= %s, 当前镜像标签为 %q). Fix: clear backend.server.image.tag to use the tested %s, or set it to %s or newer (修复: 清空 backend.server.image.tag 以使用测试过的 %s, 或设为 %s 及以上版本)." $entry.name $entry.min_ollama $ollamaTag $entry.name $entry.min_ollama $ollamaTag $cat.ollama.version $entry.min_ollama $cat.ollama.version $entry.min_ollama) -}}
{{- end -}}
{{- end -}}

{{- /* context, parallel, KV cache type */ -}}
{{- $ctx := int64 (default 8192 $m.contextLength) -}}
{{- if $entry -}}{{- $ctx = min $ctx (int64 $entry.max_context) -}}{{- end -}}
{{- $par := int64 (default 1 $m.parallel) -}}
{{- $kvType := toString (default "f16" $m.kvCacheType) -}}
{{- $keepAlive := "-1" -}}
{{- if not (or (kindIs "invalid" $m.keepAlive) (eq (toString $m.keepAlive) "")) -}}
{{- $keepAlive = $m.keepAlive -}}
{{- if kindIs "float64" $keepAlive -}}{{- if eq $keepAlive (floor $keepAlive) -}}{{- $keepAlive = int64 $keepAlive -}}{{- end -}}{{- end -}}
{{- $keepAlive = toString $keepAlive -}}
{{- end -}}
{{- $env := dict "OLLAMA_CONTEXT_LENGTH" (toString $ctx) "OLLAMA_NUM_PARALLEL" (toString $par) "OLLAMA_KV_CACHE_TYPE" $kvType "OLLAMA_KEEP_ALIVE" $keepAlive -}}
{{- if ne $kvType "f16" -}}{{- $_ := set $env "OLLAMA_FLASH_ATTENTION" "1" -}}{{- end -}}

{{- $req := dict -}}{{- $lim := dict -}}
{{- $gpuCount := 0 -}}
{{- $estimate := dict -}}
{{- $userGpu := "" -}}
{{- if $gpuResource -}}
{{- if hasKey $userLim $gpuResource -}}{{- $userGpu = get $userLim $gpuResource -}}{{- else if hasKey $userReq $gpuResource -}}{{- $userGpu = get $userReq $gpuResource -}}{{- end -}}
{{- end -}}

{{- if $entry -}}
{{- /* the formula (files/catalog.yaml header) */ -}}
{{- $ctxEff := mul $ctx $par -}}
{{- $nibbles := get (dict "f16" 4 "q8_0" 2 "q4_0" 1) $kvType -}}
{{- if not $nibbles -}}
{{- fail (printf "backend.model.kvCacheType: %q is not a KV cache type; allowed: f16, q8_0, q4_0 (不是有效的 KV 缓存类型; 可选 f16, q8_0, q4_0)." $kvType) -}}
{{- end -}}
{{- $weights := div (add $entry.download_bytes (sub $MiB 1)) $MiB -}}
{{- $layer := div (add $weights (sub $entry.layers 1)) $entry.layers -}}
{{- $kvNibbles := mul $entry.layers $entry.kv_heads (add $entry.head_dim_k $entry.head_dim_v) $ctxEff $nibbles -}}
{{- $kv := div (add $kvNibbles (sub (mul 2 $MiB) 1)) (mul 2 $MiB) -}}
{{- $b := min $ctxEff (int64 $S.batch) -}}
{{- $emb := int64 $entry.embedding -}}{{- $vocab := int64 $entry.vocab -}}
{{- $heads := int64 $entry.head_count -}}{{- $kvh := int64 $entry.kv_heads -}}
{{- $graphBytes := 0 -}}
{{- if eq $entry.family "qwen2" -}}
{{- $graphBytes = mul 4 $b (max (add $emb $vocab) (add 1 (mul 2 $emb) $ctxEff (mul $ctxEff $heads))) -}}
{{- else if eq $entry.family "llama" -}}
{{- $graphBytes = mul 4 $b (max (add 1 (mul 4 $emb) (mul $ctxEff (add 1 $heads))) (add $emb $vocab)) -}}
{{- else if eq $entry.family "deepseek2" -}}
{{- $graphBytes = mul 4 $b (max (add (mul 3 $emb) $vocab) (add (mul 3 $emb) 2 (mul $ctxEff (add 1 $kvh)) (mul 2 $entry.head_dim_k $kvh))) -}}
{{- else -}}
{{- $graphBytes = div (mul (div $heads $kvh) $kvNibbles) 12 -}}
{{- end -}}
{{- $graph := div (add $graphBytes (sub $MiB 1)) $MiB -}}
{{- $needGpu := add $weights $kv $graph $S.gpu_minimum_mib $layer -}}
{{- $needCpu := add $weights $kv $graph $S.cpu_overhead_mib -}}
{{- $estimate = dict "weightsMiB" $weights "kvMiB" $kv "graphMiB" $graph "layerMiB" $layer "needCpuMiB" $needCpu "needGpuMiB" $needGpu -}}
{{- if eq $acc "cpu" -}}
{{- $reqMem := mul (div (add $needCpu 255) 256) 256 -}}
{{- $limMem := mul (div (add $needCpu (max (div (mul $needCpu $S.limit_headroom_percent) 100) $S.cpu_overhead_mib) 255) 256) 256 -}}
{{- $_ := set $req "cpu" (include "backend.formatCpu" (mul (min (add 2 (div $weights 4096)) 16) 1000)) -}}
{{- $_ := set $req "memory" (include "backend.formatMemory" $reqMem) -}}
{{- $_ := set $lim "memory" (include "backend.formatMemory" $limMem) -}}
{{- else -}}
{{- $memText := $gpu.memoryPerGPU -}}
{{- if or (kindIs "invalid" $memText) (eq (toString $memText) "") -}}{{- $memText = $S.default_gpu_memory -}}{{- end -}}
{{- $memMiB := include "backend.quantity" (dict "value" $memText "kind" "memory") -}}
{{- if eq $memMiB "" -}}
{{- fail (printf "backend.gpu.memoryPerGPU: %v is not a memory quantity; allowed: e.g. 16Gi, 24Gi, 80Gi (不是有效的显存容量, 例如 16Gi、24Gi、80Gi)." $memText) -}}
{{- end -}}
{{- $hostReq := mul (div (add $S.cpu_overhead_mib $layer 255) 256) 256 -}}
{{- $hostLim := mul (div (add $hostReq (div $weights 4) 255) 256) 256 -}}
{{- $_ := set $req "cpu" "2" -}}
{{- $_ := set $req "memory" (include "backend.formatMemory" $hostReq) -}}
{{- $_ := set $lim "memory" (include "backend.formatMemory" $hostLim) -}}
{{- if eq (toString $userGpu) "" -}}
{{- $usable := sub (sub (sub (div (mul (atoi $memMiB) $S.gpu_usable_percent) 100) $S.gpu_minimum_mib) $graph) $layer -}}
{{- if le (int64 $usable) 0 -}}
{{- fail (printf "backend.gpu.memoryPerGPU: %v is too small for %s at contextLength %d: one GPU needs more than %d MiB for the compute graph and runtime alone (显存太小). Fix: set backend.gpu.memoryPerGPU to the memory of your GPUs (e.g. 24Gi), lower backend.model.contextLength, or use backend.server.resources to set the GPU count (修复: 填写实际显存, 降低上下文长度, 或在 backend.server.resources 中指定 GPU 数量)." $memText $entry.name $ctx (add $S.gpu_minimum_mib $graph $layer)) -}}
{{- end -}}
{{- $gpuCount = div (add $weights $kv (sub $usable 1)) $usable -}}
{{- if gt (int64 $gpuCount) (int64 $S.max_gpus) -}}
{{- fail (printf "backend.gpu.memoryPerGPU: %s at contextLength %d needs %d GPUs of %v, more than one node holds (%d) (需要 %d 块 GPU, 超过单个节点上限 %d). Fix: use GPUs with more memory (backend.gpu.memoryPerGPU), a smaller model or context, or set the GPU count in backend.server.resources (修复: 使用更大显存的 GPU, 更小的模型或上下文, 或在 backend.server.resources 中指定 GPU 数量)." $entry.name $ctx $gpuCount $memText (int64 $S.max_gpus) $gpuCount (int64 $S.max_gpus)) -}}
{{- end -}}
{{- $_ := set $req $gpuResource $gpuCount -}}
{{- $_ := set $lim $gpuResource $gpuCount -}}
{{- end -}}
{{- end -}}
{{- else -}}
{{- /* a model outside the catalog: the user's resources are the sizing */ -}}
{{- if not (or (hasKey $userReq "memory") (hasKey $userLim "memory")) -}}
{{- fail (printf "backend.server.resources: %s:%s is not in the model catalog, so its memory cannot be computed (模型 %s:%s 不在目录中, 无法计算内存). Fix: set backend.server.resources.requests.memory and limits.memory (and backend.persistence.size) for it (修复: 为其设置 backend.server.resources.requests.memory、limits.memory 和 backend.persistence.size)." $repo $tag $repo $tag) -}}
{{- end -}}
{{- $_ := set $req "cpu" "2" -}}
{{- if $gpuResource -}}{{- $gpuCount = 1 -}}{{- $_ := set $req $gpuResource 1 -}}{{- $_ := set $lim $gpuResource 1 -}}{{- end -}}
{{- end -}}

{{- /* explicit backend.server.resources win key by key; the computed other side stays consistent */ -}}
{{- range $k, $val := $userReq -}}{{- $_ := set $req $k $val -}}{{- end -}}
{{- range $k, $val := $userLim -}}{{- $_ := set $lim $k $val -}}{{- end -}}
{{- range $k := keys $req $lim | uniq | sortAlpha -}}
{{- $inReq := hasKey $userReq $k -}}{{- $inLim := hasKey $userLim $k -}}
{{- if or (eq $k "cpu") (eq $k "memory") -}}
{{- if and (hasKey $req $k) (hasKey $lim $k) -}}
{{- $r := include "backend.quantity" (dict "value" (get $req $k) "kind" $k) -}}
{{- $l := include "backend.quantity" (dict "value" (get $lim $k) "kind" $k) -}}
{{- if or (eq $r "") (eq $l "") -}}
{{- $side := ternary "requests" "limits" (eq $r "") -}}
{{- fail (printf "backend.server.resources.%s.%s: %v is not a quantity; allowed: e.g. cpu 500m or 2, memory 8Gi (不是有效的资源数量, 例如 cpu 500m 或 2, memory 8Gi)." $side $k (ternary (get $req $k) (get $lim $k) (eq $r ""))) -}}
{{- end -}}
{{- if gt (int64 (atoi $r)) (int64 (atoi $l)) -}}
{{- if and $inLim (not $inReq) -}}{{- $_ := set $req $k (get $lim $k) -}}
{{- else if and $inReq (not $inLim) -}}{{- $_ := set $lim $k (get $req $k) -}}
{{- else -}}
{{- fail (printf "backend.server.resources.requests.%s: requests.%s %v is above limits.%s %v; allowed: requests <= limits (requests 不能大于 limits). Fix: raise limits.%s or lower requests.%s (修复: 调高 limits 或调低 requests)." $k $k (get $req $k) $k (get $lim $k) $k $k) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- else -}}
{{- if and $inReq (not $inLim) -}}{{- $_ := set $lim $k (get $userReq $k) -}}{{- end -}}
{{- if and $inLim (not $inReq) -}}{{- $_ := set $req $k (get $userLim $k) -}}{{- end -}}
{{- if and $inReq $inLim (ne (toString (get $userReq $k)) (toString (get $userLim $k))) -}}
{{- fail (printf "backend.server.resources.requests.%s: requests.%s %v differs from limits.%s %v; allowed: equal values for extended resources such as GPUs (GPU 等扩展资源的 requests 与 limits 必须相等)." $k $k (get $userReq $k) $k (get $userLim $k)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and $gpuResource (ne (toString $userGpu) "") -}}
{{- $gpuCount = atoi (toString (get $lim $gpuResource)) -}}
{{- end -}}

{{- /* model storage */ -}}
{{- $storage := "" -}}
{{- $size := $pers.size -}}
{{- $names := list (printf "%s:%s" $repo $tag) -}}
{{- range $v.models | default list -}}{{- $names = append $names (toString .) -}}{{- end -}}
{{- $sum := 0 -}}{{- $largest := 0 -}}{{- $unknown := "" -}}{{- $seen := list -}}
{{- range $i, $n := $names -}}
{{- $e := include "backend.lookupModel" (dict "catalog" $cat "name" $n) -}}
{{- if $e -}}
{{- $em := $e | fromYaml -}}
{{- if not (has $em.name $seen) -}}
{{- $seen = append $seen $em.name -}}
{{- $w := div (add $em.download_bytes (sub $MiB 1)) $MiB -}}
{{- $sum = add $sum $w -}}{{- $largest = max $largest $w -}}
{{- end -}}
{{- else -}}
{{- $short := last (splitList "/" $n) -}}
{{- if and (gt $i 0) (eq (first (splitList ":" $short)) $cat.repository) -}}
{{- include "backend.unknownTag" (dict "catalog" $cat "tag" (default "latest" (last (rest (splitList ":" $short)))) "path" (printf "backend.models[%d]" (sub $i 1))) -}}
{{- end -}}
{{- if not $unknown -}}{{- $unknown = $n -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- if not (or (kindIs "invalid" $size) (eq (toString $size) "")) -}}
{{- $storage = $size -}}
{{- if kindIs "float64" $storage -}}{{- if eq $storage (floor $storage) -}}{{- $storage = int64 $storage -}}{{- end -}}{{- end -}}
{{- $storage = toString $storage -}}
{{- $sizeMiB := include "backend.quantity" (dict "value" $storage "kind" "memory") -}}
{{- if eq $sizeMiB "" -}}
{{- fail (printf "backend.persistence.size: %v is not a storage quantity; allowed: e.g. 50Gi (不是有效的存储容量, 例如 50Gi)." $storage) -}}
{{- end -}}
{{- if and (not $unknown) (lt (int64 (atoi $sizeMiB)) (int64 $sum)) -}}
{{- fail (printf "backend.persistence.size: %s is smaller than the models it must hold (%d MiB: %s) (存储容量 %s 小于模型所需的 %d MiB). Fix: clear backend.persistence.size to use the computed size, or raise it (修复: 清空 backend.persistence.size 使用计算值, 或调大)." $storage $sum (join ", " $names) $storage $sum) -}}
{{- end -}}
{{- else if $unknown -}}
{{- fail (printf "backend.persistence.size: %s is not in the model catalog, so the model storage cannot be computed (模型 %s 不在目录中, 无法计算存储容量). Fix: set backend.persistence.size, e.g. 50Gi (修复: 设置 backend.persistence.size, 例如 50Gi)." $unknown $unknown) -}}
{{- else -}}
{{- $storage = printf "%dGi" (max (div (add $sum $largest 1024 1023) 1024) (int64 $S.storage_floor_gib)) -}}
{{- end -}}

{{- $model := include "backend.modelName" . -}}
{{- toYaml (dict "accelerator" $acc "gpuResource" $gpuResource "gpuCount" $gpuCount "resources" (dict "requests" $req "limits" $lim) "storage" $storage "env" $env "model" $model "estimate" $estimate) -}}
{{- end -}}

{{/*
backend.formatMemory: MiB as a quantity: "<n>Gi" when it is a whole number of GiB, else "<n>Mi".
backend.formatCpu: millicores as a quantity: "<n>" for whole cores, else "<n>m".
*/}}
{{- define "backend.formatMemory" -}}
{{- if eq (mod (int64 .) 1024) 0 -}}{{- printf "%dGi" (div . 1024) -}}{{- else -}}{{- printf "%dMi" (int64 .) -}}{{- end -}}
{{- end -}}

{{- define "backend.formatCpu" -}}
{{- if eq (mod (int64 .) 1000) 0 -}}{{- printf "%d" (div . 1000) -}}{{- else -}}{{- printf "%dm" (int64 .) -}}{{- end -}}
{{- end -}}
