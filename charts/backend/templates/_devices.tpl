{{/*
backend.ollama.supplementalGroups: the group IDs of the ollama pod, as a YAML list ("" for none).

ollama runs as uid 10001. AMD's device files (/dev/kfd, /dev/dri/renderD*) are root:render 0660
and /dev/dri/card* root:video (ollama docs/gpu.mdx; ollama issues #7723, #6685), so without those
groups ollama cannot open the GPU and falls back to the CPU under a memory limit sized for the
GPU. Kubernetes takes only numeric gids and the render gid differs between distributions, so when
the GPU vendor is AMD and backend.gpu.supplementalGroups is empty the pod gets the conventional
ones: 44 (video on Debian, Ubuntu, RHEL) and 105, 109, 110 (render on Debian 12, Ubuntu 20.04/22.04
and Ubuntu 24.04). A gid no file on the node carries grants nothing. A list you set is used as it is.
*/}}
{{- define "backend.ollama.defaultAMDGroups" -}}
[44, 105, 109, 110]
{{- end -}}

{{- define "backend.ollama.supplementalGroups" -}}
{{- $groups := (.Values.gpu | default dict).supplementalGroups | default list -}}
{{- if and (not $groups) (eq (include "backend.ollama.gpuVendor" .) "amd") -}}
{{- $groups = include "backend.ollama.defaultAMDGroups" . | fromYamlArray -}}
{{- end -}}
{{- if $groups -}}
{{- range $groups }}
- {{ int64 . }}
{{- end }}
{{- end -}}
{{- end -}}
