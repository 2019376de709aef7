/* DeepSeek for KubeSphere: console bundle, generated from frontend-config/ by scripts/build-bundle.sh. Do not edit.
 * sources-sha256: 4027c6b5986f85506da1f608d7c157f18101fd18a74994b9251cc4f459bccfb3 */
System.register(['react', 'react-router-dom', 'styled-components', '@kubed/components'], (function (exports) {
  'use strict';
  var React, useState, useRef, useCallback, useEffect, NavLink, Outlet, Link, Navigate, styled, Alert, Button$1, Tag, StatusDot, Modal, BaseTable;
  return {
    setters: [module => {
      React = module;
      useState = module.useState;
      useRef = module.useRef;
      useCallback = module.useCallback;
      useEffect = module.useEffect;
    }, module => {
      NavLink = module.NavLink;
      Outlet = module.Outlet;
      Link = module.Link;
      Navigate = module.Navigate;
    }, module => {
      styled = module.default;
    }, module => {
      Alert = module.Alert;
      Button$1 = module.Button;
      Tag = module.Tag;
      StatusDot = module.StatusDot;
      Modal = module.Modal;
      BaseTable = module.BaseTable;
    }],
    execute: (function () {

      // English texts. Keys are prefixed with DEEPSEEK_ because the console merges every extension's
      // locales into one i18next namespace. `{name}` placeholders follow the console's interpolation.
      const en = {
        DEEPSEEK_MENU_TITLE: 'DeepSeek',
        // Menu texts use readable keys: they read right even where the console shows them untranslated.
        'DeepSeek-R1 model status and chat': 'DeepSeek-R1 model status and chat',
        DEEPSEEK_SUBTITLE: 'DeepSeek-R1 served by ollama inside this cluster',
        DEEPSEEK_TAB_STATUS: 'Status',
        DEEPSEEK_TAB_CHAT: 'Chat',

        DEEPSEEK_REFRESH: 'Refresh',
        DEEPSEEK_LOADING: 'Loading the status of DeepSeek…',
        DEEPSEEK_CHECKED_AT: 'Checked at {time}',
        DEEPSEEK_AUTO_REFRESH: 'refreshes every {seconds} s while this page is open',
        DEEPSEEK_STALE: 'Showing the last status received, from {time}.',

        DEEPSEEK_API_ERROR_TITLE: 'The DeepSeek API answered with an error',
        DEEPSEEK_API_ERROR_STATUS: 'HTTP {status}',
        DEEPSEEK_API_ERROR_NETWORK: 'The console could not reach the DeepSeek API: {message}',
        DEEPSEEK_API_ERROR_INVALID: 'The DeepSeek API sent an answer this page cannot read.',
        DEEPSEEK_API_ERROR_HINT_401: 'Your session may have expired: log in to the console again.',
        DEEPSEEK_API_ERROR_HINT_403: 'Your account may not read the DeepSeek status. Ask a platform administrator to grant you the "DeepSeek Viewing" permission (role template global-deepseek-view).',
        DEEPSEEK_API_ERROR_HINT_404: 'The extension API is not registered. Check that the DeepSeek extension is installed and enabled in Extension Center.',
        DEEPSEEK_API_ERROR_HINT_5XX: 'Check the API pod: kubectl -n extension-deepseek get pods -l app.kubernetes.io/component=api',

        DEEPSEEK_PHASE: 'Phase',
        DEEPSEEK_PHASE_Installing: 'Installing',
        DEEPSEEK_PHASE_Scheduling: 'Scheduling pods',
        DEEPSEEK_PHASE_PullingModel: 'Downloading the model',
        DEEPSEEK_PHASE_LoadingModel: 'Loading the model',
        DEEPSEEK_PHASE_Ready: 'Ready',
        DEEPSEEK_PHASE_Degraded: 'Degraded',
        DEEPSEEK_PHASE_Failed: 'Failed',
        DEEPSEEK_PHASE_Unknown: 'Unknown',

        DEEPSEEK_DOWNLOAD_TITLE: 'Downloading {model}',
        DEEPSEEK_DOWNLOAD_BYTES: '{done} of {total}',
        DEEPSEEK_DOWNLOAD_RATE: '{rate}/s',
        DEEPSEEK_DOWNLOAD_ETA: 'about {eta} left',
        DEEPSEEK_DOWNLOAD_ETA_UNKNOWN: 'time left unknown',
        DEEPSEEK_DOWNLOAD_STARTING: 'starting',

        DEEPSEEK_COMPONENTS: 'Components',
        DEEPSEEK_COMPONENT_storage: 'Model storage',
        DEEPSEEK_COMPONENT_ollama: 'ollama pods',
        DEEPSEEK_COMPONENT_model: 'Model',
        DEEPSEEK_COMPONENT_nextchat: 'NextChat',
        DEEPSEEK_COMPONENT_ingress: 'Ingress',
        DEEPSEEK_COMPONENT_api: 'Extension API',
        DEEPSEEK_STATE_Ready: 'Ready',
        DEEPSEEK_STATE_Progressing: 'In progress',
        DEEPSEEK_STATE_Degraded: 'Degraded',
        DEEPSEEK_STATE_Failed: 'Failed',
        DEEPSEEK_STATE_Unknown: 'Unknown',
        DEEPSEEK_STATE_Disabled: 'Disabled',
        DEEPSEEK_NO_FINDINGS: 'No problems found.',

        DEEPSEEK_FINDINGS: 'Problems found',
        DEEPSEEK_SEVERITY_error: 'Error',
        DEEPSEEK_SEVERITY_warning: 'Warning',
        DEEPSEEK_SEVERITY_info: 'Note',
        DEEPSEEK_FIX: 'How to fix',
        DEEPSEEK_EVIDENCE: 'Evidence',
        DEEPSEEK_CODE: 'Code',

        DEEPSEEK_MODELS: 'Models',
        DEEPSEEK_MODEL_NAME: 'Model',
        DEEPSEEK_MODEL_STATE: 'State',
        DEEPSEEK_MODEL_SIZE: 'Size on disk',
        DEEPSEEK_MODEL_VRAM: 'In GPU memory',
        DEEPSEEK_MODEL_absent: 'Not downloaded',
        DEEPSEEK_MODEL_pulling: 'Downloading',
        DEEPSEEK_MODEL_present: 'Downloaded',
        DEEPSEEK_MODEL_loaded: 'Loaded',
        DEEPSEEK_MODEL_failed: 'Failed',
        DEEPSEEK_MODEL_partial: 'Incomplete on the volume',
        DEEPSEEK_MODEL_missing: 'Not on the volume (offline)',
        DEEPSEEK_MODEL_unknown: 'Cannot be observed now',
        DEEPSEEK_NO_MODELS: 'No model is configured.',

        DEEPSEEK_ENDPOINTS: 'API for applications in the cluster',
        DEEPSEEK_ENDPOINTS_HINT: 'Workloads in any namespace can call the model at these addresses (NetworkPolicies permitting).',
        DEEPSEEK_ENDPOINT_ollama: 'ollama API',
        DEEPSEEK_ENDPOINT_openai: 'OpenAI-compatible API',
        DEEPSEEK_ENDPOINT_chat: 'NextChat web UI',
        DEEPSEEK_COPY: 'Copy',
        DEEPSEEK_COPIED: 'Copied',
        DEEPSEEK_NOT_AVAILABLE: 'not available',

        DEEPSEEK_CHAT_OPEN_TAB: 'Open in a new tab',
        DEEPSEEK_CHAT_AT: 'NextChat at {url}',
        DEEPSEEK_CHAT_CODE_TITLE: 'Access code',
        DEEPSEEK_CHAT_CODE_TEXT: 'NextChat asks for an access code. An administrator can read it from the Secret deepseek-chat-access (or the Secret named in backend.chat.accessCodeSecret):',
        DEEPSEEK_CHAT_NO_INGRESS_TITLE: 'NextChat is not published through an Ingress',
        DEEPSEEK_CHAT_NO_INGRESS_TEXT: 'KubeSphere has no ingress domain suffix for extensions, or the extension Ingress is turned off, so there is no address to open here. NextChat still runs in the cluster.',
        DEEPSEEK_CHAT_PORT_FORWARD_TITLE: 'Reach it now with a port-forward',
        DEEPSEEK_CHAT_PORT_FORWARD_TEXT: 'Run this on a machine with kubectl access to the cluster, then open {url} in a browser:',
        DEEPSEEK_CHAT_ENABLE_TITLE: 'Publish it through the extension Ingress',
        DEEPSEEK_CHAT_ENABLE_STEP1: 'Give KubeSphere an ingress domain suffix for extensions: in the ks-core values (kubesphere-config), set extension.ingress.domainSuffix (for example apps.example.com) and, if needed, extension.ingress.ingressClassName.',
        DEEPSEEK_CHAT_ENABLE_STEP2: 'In Extension Center, open the DeepSeek extension config, keep global.extension.enabled: true and save it. Saving re-runs the installation, which picks up the new suffix; NextChat is then published at deepseek.<domain suffix>.',
        DEEPSEEK_CHAT_ENABLE_STEP3: 'For HTTPS, create a TLS Secret in extension-deepseek and set global.extension.ingress.tlsSecretName to its name.',
        DEEPSEEK_CHAT_STATUS_UNKNOWN: 'The chat address could not be read from the DeepSeek API, so the ways to reach NextChat without it are shown below.',
        DEEPSEEK_CHAT_MIXED: 'The console is served over HTTPS and NextChat over HTTP, so the browser will not show NextChat inside this page. Open it in a new tab, or serve it over HTTPS by setting global.extension.ingress.tlsSecretName.',
        DEEPSEEK_CHAT_FRAME_TITLE: 'NextChat',
        DEEPSEEK_CHAT_MIXED_TITLE: 'NextChat cannot be shown inside the console',

        // s2-statusui: the status page's actions, links, retries, serving summary, usage, access code
        DEEPSEEK_COMPONENT_DISABLED: 'Turned off in the configuration.',
        DEEPSEEK_COMPONENT_UNCHECKED: 'Could not be checked now.',
        DEEPSEEK_COMPONENT_WAITS_FOR: 'No problem of its own: it waits for {components}.',
        DEEPSEEK_COMPONENT_NO_OWN: 'No problem of its own so far.',
        DEEPSEEK_LIST_SEPARATOR: ', ',
        DEEPSEEK_LINKS: 'In the console',
        DEEPSEEK_LINK_pod: 'Pod {name}',
        DEEPSEEK_LINK_events: 'Events of {name}',
        DEEPSEEK_LINK_logs: 'Logs of {container}',
        DEEPSEEK_CONFIG_KEY: 'Config key',
        DEEPSEEK_ACTIONS: 'Actions',
        DEEPSEEK_RETRY_NOW: 'Retry now',
        DEEPSEEK_DELETE: 'Delete',
        DEEPSEEK_CANCEL: 'Cancel',
        DEEPSEEK_ACTION_NEEDS_MANAGE: 'Only administrators can retry or delete models (the "DeepSeek Model Management" permission).',
        DEEPSEEK_RETRY_NOT_CONFIGURED: 'Not a configured model: only configured models are downloaded.',
        DEEPSEEK_RETRY_OFFLINE: 'Downloads are off (offline mode, backend.model.pull: false).',
        DEEPSEEK_RETRY_REQUESTED: 'A retry is requested: the model manager starts it within seconds.',
        DEEPSEEK_RETRY_BUSY: 'The model manager is working on it now.',
        DEEPSEEK_RETRY_NOT_NEEDED: 'Nothing to retry: the model is on the volume.',
        DEEPSEEK_DELETE_UNKNOWN: 'The model\'s details could not be read.',
        DEEPSEEK_DELETE_CONFIGURED: 'A configured model cannot be deleted: remove it from backend.models first.',
        DEEPSEEK_DELETE_ABSENT: 'Not on the volume.',
        DEEPSEEK_RETRY_DONE: 'Retry requested for {model}.',
        DEEPSEEK_DELETE_DONE: '{model} deleted.',
        DEEPSEEK_RETRY_FAILED: 'The retry was not accepted',
        DEEPSEEK_DELETE_FAILED: 'The model was not deleted',
        DEEPSEEK_DELETE_CONFIRM_TITLE: 'Delete {model}?',
        DEEPSEEK_DELETE_CONFIRM_TEXT: 'This removes {model} from the models volume of every ollama pod. Applications that use it get errors until it is downloaded again.',
        DEEPSEEK_MANAGER_PHASE: 'Model manager',
        DEEPSEEK_MANAGER_Pending: 'waiting',
        DEEPSEEK_MANAGER_Pulling: 'downloading',
        DEEPSEEK_MANAGER_Verifying: 'verifying the download (sha256)',
        DEEPSEEK_MANAGER_Stalled: 'stalled: no bytes for minutes',
        DEEPSEEK_MANAGER_Loading: 'loading',
        DEEPSEEK_MANAGER_Ready: 'ready',
        DEEPSEEK_MANAGER_Failed: 'failed',
        DEEPSEEK_MANAGER_Missing: 'missing (offline)',
        DEEPSEEK_MANAGER_Partial: 'incomplete',
        DEEPSEEK_ATTEMPTS: 'Attempts: {count}',
        DEEPSEEK_NEXT_RETRY: 'Next retry at {time} (in {in})',
        DEEPSEEK_LAST_ERROR: 'Last error',
        DEEPSEEK_FAILURE_RegistryUnreachable: 'registry unreachable',
        DEEPSEEK_FAILURE_UnknownTag: 'no such model in the registry',
        DEEPSEEK_FAILURE_OllamaTooOld: 'ollama too old for this model',
        DEEPSEEK_FAILURE_DiskFull: 'models volume full',
        DEEPSEEK_FAILURE_Interrupted: 'download interrupted',
        DEEPSEEK_FAILURE_Partial: 'incomplete on the volume',
        DEEPSEEK_FAILURE_Stalled: 'download stalled',
        DEEPSEEK_FAILURE_Other: 'other failure',
        DEEPSEEK_SERVING: 'How the model is served',
        DEEPSEEK_SERVING_ACCELERATOR: 'Runs on',
        DEEPSEEK_ACCELERATOR_cpu: 'CPU',
        DEEPSEEK_ACCELERATOR_nvidia: 'NVIDIA GPU',
        DEEPSEEK_ACCELERATOR_amd: 'AMD GPU',
        DEEPSEEK_SERVING_GPUS: 'GPUs per pod',
        DEEPSEEK_SERVING_CONTEXT: 'Context length',
        DEEPSEEK_SERVING_TOKENS: '{tokens} tokens',
        DEEPSEEK_SERVING_PARALLEL: 'Parallel requests per model',
        DEEPSEEK_SERVING_MAX_LOADED: 'Models kept loaded',
        DEEPSEEK_SERVING_MEMORY: 'Memory (request / limit)',
        DEEPSEEK_SERVING_MEMORY_VALUE: '{request} / {limit}',
        DEEPSEEK_USAGE: 'Usage per caller',
        DEEPSEEK_USAGE_SINCE: 'Counted by the gateways since {time}.',
        DEEPSEEK_USAGE_PARTIAL: 'Only {reporting} of {total} gateway pods answered: the figures are incomplete.',
        DEEPSEEK_USAGE_UNAVAILABLE: 'This version of the extension API reports no usage.',
        DEEPSEEK_USAGE_FAILED: 'Usage could not be read',
        DEEPSEEK_USAGE_EMPTY: 'No requests yet.',
        DEEPSEEK_USAGE_CALLER: 'Caller',
        DEEPSEEK_USAGE_REQUESTS: 'Requests',
        DEEPSEEK_USAGE_ERRORS: 'Errors',
        DEEPSEEK_USAGE_PROMPT: 'Prompt tokens',
        DEEPSEEK_USAGE_COMPLETION: 'Completion tokens',
        DEEPSEEK_USAGE_KIND_user: 'Console user',
        DEEPSEEK_USAGE_KIND_key: 'API key',
        DEEPSEEK_ACCESS_CODE: 'NextChat access code',
        DEEPSEEK_ACCESS_CODE_HINT: 'People who use NextChat outside the console need this code. Shown to administrators only.',
        DEEPSEEK_ACCESS_CODE_SHOW: 'Show access code',
        DEEPSEEK_ACCESS_CODE_HIDE: 'Hide',
        DEEPSEEK_ACCESS_CODE_SECRET: 'from the Secret {secret}',
        DEEPSEEK_ACCESS_CODE_FAILED: 'The access code could not be read',
      };

      // 中文文案。键名与 en.js 一一对应（测试会检查两边的键完全一致）。
      const zh = {
        DEEPSEEK_MENU_TITLE: 'DeepSeek',
        'DeepSeek-R1 model status and chat': 'DeepSeek-R1 模型状态与对话',
        DEEPSEEK_SUBTITLE: '在本集群内由 ollama 提供服务的 DeepSeek-R1',
        DEEPSEEK_TAB_STATUS: '运行状态',
        DEEPSEEK_TAB_CHAT: '对话',

        DEEPSEEK_REFRESH: '刷新',
        DEEPSEEK_LOADING: '正在读取 DeepSeek 的运行状态…',
        DEEPSEEK_CHECKED_AT: '检查时间 {time}',
        DEEPSEEK_AUTO_REFRESH: '页面打开期间每 {seconds} 秒自动刷新',
        DEEPSEEK_STALE: '当前显示的是 {time} 收到的最近一次状态。',

        DEEPSEEK_API_ERROR_TITLE: 'DeepSeek API 返回了错误',
        DEEPSEEK_API_ERROR_STATUS: 'HTTP {status}',
        DEEPSEEK_API_ERROR_NETWORK: '控制台无法连接 DeepSeek API：{message}',
        DEEPSEEK_API_ERROR_INVALID: 'DeepSeek API 返回的内容无法解析。',
        DEEPSEEK_API_ERROR_HINT_401: '登录可能已过期，请重新登录控制台。',
        DEEPSEEK_API_ERROR_HINT_403: '您的账号可能没有查看 DeepSeek 状态的权限，请联系平台管理员为您授予“DeepSeek 查看”权限（角色模板 global-deepseek-view）。',
        DEEPSEEK_API_ERROR_HINT_404: '扩展 API 未注册。请在扩展中心确认 DeepSeek 扩展已安装并已启用。',
        DEEPSEEK_API_ERROR_HINT_5XX: '请检查 API 的 Pod：kubectl -n extension-deepseek get pods -l app.kubernetes.io/component=api',

        DEEPSEEK_PHASE: '阶段',
        DEEPSEEK_PHASE_Installing: '安装中',
        DEEPSEEK_PHASE_Scheduling: '正在调度 Pod',
        DEEPSEEK_PHASE_PullingModel: '正在下载模型',
        DEEPSEEK_PHASE_LoadingModel: '正在加载模型',
        DEEPSEEK_PHASE_Ready: '就绪',
        DEEPSEEK_PHASE_Degraded: '部分可用',
        DEEPSEEK_PHASE_Failed: '失败',
        DEEPSEEK_PHASE_Unknown: '未知',

        DEEPSEEK_DOWNLOAD_TITLE: '正在下载 {model}',
        DEEPSEEK_DOWNLOAD_BYTES: '已下载 {done}，共 {total}',
        DEEPSEEK_DOWNLOAD_RATE: '{rate}/秒',
        DEEPSEEK_DOWNLOAD_ETA: '预计还需 {eta}',
        DEEPSEEK_DOWNLOAD_ETA_UNKNOWN: '剩余时间未知',
        DEEPSEEK_DOWNLOAD_STARTING: '即将开始',

        DEEPSEEK_COMPONENTS: '组件',
        DEEPSEEK_COMPONENT_storage: '模型存储',
        DEEPSEEK_COMPONENT_ollama: 'ollama 服务 Pod',
        DEEPSEEK_COMPONENT_model: '模型',
        DEEPSEEK_COMPONENT_nextchat: 'NextChat',
        DEEPSEEK_COMPONENT_ingress: 'Ingress 访问',
        DEEPSEEK_COMPONENT_api: '扩展 API',
        DEEPSEEK_STATE_Ready: '就绪',
        DEEPSEEK_STATE_Progressing: '进行中',
        DEEPSEEK_STATE_Degraded: '部分可用',
        DEEPSEEK_STATE_Failed: '失败',
        DEEPSEEK_STATE_Unknown: '未知',
        DEEPSEEK_STATE_Disabled: '未启用',
        DEEPSEEK_NO_FINDINGS: '未发现问题。',

        DEEPSEEK_FINDINGS: '发现的问题',
        DEEPSEEK_SEVERITY_error: '错误',
        DEEPSEEK_SEVERITY_warning: '警告',
        DEEPSEEK_SEVERITY_info: '提示',
        DEEPSEEK_FIX: '解决方法',
        DEEPSEEK_EVIDENCE: '依据',
        DEEPSEEK_CODE: '代码',

        DEEPSEEK_MODELS: '模型',
        DEEPSEEK_MODEL_NAME: '模型',
        DEEPSEEK_MODEL_STATE: '状态',
        DEEPSEEK_MODEL_SIZE: '磁盘占用',
        DEEPSEEK_MODEL_VRAM: '显存占用',
        DEEPSEEK_MODEL_absent: '未下载',
        DEEPSEEK_MODEL_pulling: '下载中',
        DEEPSEEK_MODEL_present: '已下载',
        DEEPSEEK_MODEL_loaded: '已加载',
        DEEPSEEK_MODEL_failed: '失败',
        DEEPSEEK_MODEL_partial: '存储卷上不完整',
        DEEPSEEK_MODEL_missing: '不在存储卷上（离线）',
        DEEPSEEK_MODEL_unknown: '暂时无法观测',
        DEEPSEEK_NO_MODELS: '未配置模型。',

        DEEPSEEK_ENDPOINTS: '供集群内应用调用的 API',
        DEEPSEEK_ENDPOINTS_HINT: '任意命名空间中的工作负载都可以通过以下地址调用模型（需网络策略允许）。',
        DEEPSEEK_ENDPOINT_ollama: 'ollama API',
        DEEPSEEK_ENDPOINT_openai: 'OpenAI 兼容 API',
        DEEPSEEK_ENDPOINT_chat: 'NextChat 网页',
        DEEPSEEK_COPY: '复制',
        DEEPSEEK_COPIED: '已复制',
        DEEPSEEK_NOT_AVAILABLE: '不可用',

        DEEPSEEK_CHAT_OPEN_TAB: '在新标签页中打开',
        DEEPSEEK_CHAT_AT: 'NextChat 地址：{url}',
        DEEPSEEK_CHAT_CODE_TITLE: '访问码',
        DEEPSEEK_CHAT_CODE_TEXT: 'NextChat 需要输入访问码。管理员可以从 Secret deepseek-chat-access（或 backend.chat.accessCodeSecret 指定的 Secret）中读取：',
        DEEPSEEK_CHAT_NO_INGRESS_TITLE: 'NextChat 未通过 Ingress 发布',
        DEEPSEEK_CHAT_NO_INGRESS_TEXT: 'KubeSphere 尚未为扩展配置 Ingress 域名后缀，或扩展的 Ingress 已关闭，因此这里没有可以打开的地址。NextChat 仍在集群内正常运行。',
        DEEPSEEK_CHAT_PORT_FORWARD_TITLE: '立即通过端口转发访问',
        DEEPSEEK_CHAT_PORT_FORWARD_TEXT: '在能用 kubectl 访问集群的机器上执行以下命令，然后在浏览器中打开 {url}：',
        DEEPSEEK_CHAT_ENABLE_TITLE: '通过扩展 Ingress 发布',
        DEEPSEEK_CHAT_ENABLE_STEP1: '为 KubeSphere 扩展配置 Ingress 域名后缀：在 ks-core 的配置（kubesphere-config）中设置 extension.ingress.domainSuffix（例如 apps.example.com），需要时再设置 extension.ingress.ingressClassName。',
        DEEPSEEK_CHAT_ENABLE_STEP2: '在扩展中心打开 DeepSeek 扩展配置，保持 global.extension.enabled: true 并保存。保存会重新执行安装以读取新的后缀，之后 NextChat 发布在 deepseek.<域名后缀>。',
        DEEPSEEK_CHAT_ENABLE_STEP3: '如需 HTTPS，请在 extension-deepseek 中创建 TLS Secret，并将 global.extension.ingress.tlsSecretName 设置为该 Secret 的名称。',
        DEEPSEEK_CHAT_STATUS_UNKNOWN: '无法从 DeepSeek API 读取对话地址，下面列出了不依赖它访问 NextChat 的方法。',
        DEEPSEEK_CHAT_MIXED: '控制台使用 HTTPS 而 NextChat 使用 HTTP，浏览器不会在本页面中显示 NextChat。请在新标签页中打开，或设置 global.extension.ingress.tlsSecretName 以通过 HTTPS 提供 NextChat。',
        DEEPSEEK_CHAT_FRAME_TITLE: 'NextChat',
        DEEPSEEK_CHAT_MIXED_TITLE: 'NextChat 无法在控制台内显示',

        // s2-statusui: the status page's actions, links, retries, serving summary, usage, access code
        DEEPSEEK_COMPONENT_DISABLED: '已在配置中关闭。',
        DEEPSEEK_COMPONENT_UNCHECKED: '暂时无法检查。',
        DEEPSEEK_COMPONENT_WAITS_FOR: '自身没有问题：正在等待{components}。',
        DEEPSEEK_COMPONENT_NO_OWN: '目前自身没有发现问题。',
        DEEPSEEK_LIST_SEPARATOR: '、',
        DEEPSEEK_LINKS: '在控制台中查看',
        DEEPSEEK_LINK_pod: 'Pod {name}',
        DEEPSEEK_LINK_events: '{name} 的事件',
        DEEPSEEK_LINK_logs: '{container} 的日志',
        DEEPSEEK_CONFIG_KEY: '配置项',
        DEEPSEEK_ACTIONS: '操作',
        DEEPSEEK_RETRY_NOW: '立即重试',
        DEEPSEEK_DELETE: '删除',
        DEEPSEEK_CANCEL: '取消',
        DEEPSEEK_ACTION_NEEDS_MANAGE: '只有管理员可以重试或删除模型（需要“DeepSeek 模型管理”权限）。',
        DEEPSEEK_RETRY_NOT_CONFIGURED: '不是已配置的模型：只会下载已配置的模型。',
        DEEPSEEK_RETRY_OFFLINE: '下载已关闭（离线模式，backend.model.pull: false）。',
        DEEPSEEK_RETRY_REQUESTED: '已请求重试：模型管理器将在数秒内开始。',
        DEEPSEEK_RETRY_BUSY: '模型管理器正在处理该模型。',
        DEEPSEEK_RETRY_NOT_NEEDED: '无需重试：模型已在存储卷上。',
        DEEPSEEK_DELETE_UNKNOWN: '无法读取该模型的详细信息。',
        DEEPSEEK_DELETE_CONFIGURED: '已配置的模型不能删除：请先将其从 backend.models 中移除。',
        DEEPSEEK_DELETE_ABSENT: '不在存储卷上。',
        DEEPSEEK_RETRY_DONE: '已请求重新下载 {model}。',
        DEEPSEEK_DELETE_DONE: '已删除 {model}。',
        DEEPSEEK_RETRY_FAILED: '重试请求未被接受',
        DEEPSEEK_DELETE_FAILED: '模型未被删除',
        DEEPSEEK_DELETE_CONFIRM_TITLE: '删除 {model}？',
        DEEPSEEK_DELETE_CONFIRM_TEXT: '此操作会从每个 ollama Pod 的模型存储卷中删除 {model}。在重新下载之前，使用它的应用会收到错误。',
        DEEPSEEK_MANAGER_PHASE: '模型管理器',
        DEEPSEEK_MANAGER_Pending: '等待中',
        DEEPSEEK_MANAGER_Pulling: '下载中',
        DEEPSEEK_MANAGER_Verifying: '正在校验下载（sha256）',
        DEEPSEEK_MANAGER_Stalled: '已停滞：数分钟没有收到数据',
        DEEPSEEK_MANAGER_Loading: '加载中',
        DEEPSEEK_MANAGER_Ready: '就绪',
        DEEPSEEK_MANAGER_Failed: '失败',
        DEEPSEEK_MANAGER_Missing: '缺失（离线）',
        DEEPSEEK_MANAGER_Partial: '不完整',
        DEEPSEEK_ATTEMPTS: '已尝试 {count} 次',
        DEEPSEEK_NEXT_RETRY: '下次重试：{time}（{in}后）',
        DEEPSEEK_LAST_ERROR: '最近一次错误',
        DEEPSEEK_FAILURE_RegistryUnreachable: '无法访问模型仓库',
        DEEPSEEK_FAILURE_UnknownTag: '模型仓库中没有该模型',
        DEEPSEEK_FAILURE_OllamaTooOld: 'ollama 版本过旧',
        DEEPSEEK_FAILURE_DiskFull: '模型存储卷已满',
        DEEPSEEK_FAILURE_Interrupted: '下载中断',
        DEEPSEEK_FAILURE_Partial: '存储卷上不完整',
        DEEPSEEK_FAILURE_Stalled: '下载停滞',
        DEEPSEEK_FAILURE_Other: '其他错误',
        DEEPSEEK_SERVING: '模型的运行方式',
        DEEPSEEK_SERVING_ACCELERATOR: '运行于',
        DEEPSEEK_ACCELERATOR_cpu: 'CPU',
        DEEPSEEK_ACCELERATOR_nvidia: 'NVIDIA GPU',
        DEEPSEEK_ACCELERATOR_amd: 'AMD GPU',
        DEEPSEEK_SERVING_GPUS: '每个 Pod 的 GPU 数',
        DEEPSEEK_SERVING_CONTEXT: '上下文长度',
        DEEPSEEK_SERVING_TOKENS: '{tokens} 个 token',
        DEEPSEEK_SERVING_PARALLEL: '每个模型的并行请求数',
        DEEPSEEK_SERVING_MAX_LOADED: '保持加载的模型数',
        DEEPSEEK_SERVING_MEMORY: '内存（请求 / 上限）',
        DEEPSEEK_SERVING_MEMORY_VALUE: '{request} / {limit}',
        DEEPSEEK_USAGE: '各调用方的用量',
        DEEPSEEK_USAGE_SINCE: '网关自 {time} 起的统计。',
        DEEPSEEK_USAGE_PARTIAL: '只有 {reporting}/{total} 个网关 Pod 作出应答：数据不完整。',
        DEEPSEEK_USAGE_UNAVAILABLE: '此版本的扩展 API 不提供用量数据。',
        DEEPSEEK_USAGE_FAILED: '无法读取用量',
        DEEPSEEK_USAGE_EMPTY: '暂无请求。',
        DEEPSEEK_USAGE_CALLER: '调用方',
        DEEPSEEK_USAGE_REQUESTS: '请求数',
        DEEPSEEK_USAGE_ERRORS: '错误数',
        DEEPSEEK_USAGE_PROMPT: '输入 token',
        DEEPSEEK_USAGE_COMPLETION: '输出 token',
        DEEPSEEK_USAGE_KIND_user: '控制台用户',
        DEEPSEEK_USAGE_KIND_key: 'API 密钥',
        DEEPSEEK_ACCESS_CODE: 'NextChat 访问码',
        DEEPSEEK_ACCESS_CODE_HINT: '在控制台之外使用 NextChat 需要此访问码。仅向管理员显示。',
        DEEPSEEK_ACCESS_CODE_SHOW: '显示访问码',
        DEEPSEEK_ACCESS_CODE_HIDE: '隐藏',
        DEEPSEEK_ACCESS_CODE_SECRET: '来自 Secret {secret}',
        DEEPSEEK_ACCESS_CODE_FAILED: '无法读取访问码',
      };

      // The shape ks-console merges into its i18next resources (registerLocales).
      const locales = { en, zh };

      const icon = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCA2NCA2NCIgd2lkdGg9IjY0IiBoZWlnaHQ9IjY0Ij4KICA8dGl0bGU+RGVlcFNlZWsgb24gS3ViZVNwaGVyZTwvdGl0bGU+CiAgPHJlY3Qgd2lkdGg9IjY0IiBoZWlnaHQ9IjY0IiByeD0iMTQiIGZpbGw9IiMxZjNhOGEiLz4KICA8cGF0aCBkPSJNMTIgMzZjNi0xMCAxOC0xNCAyOC0xMCA0IDEuNiA3IDQuNCA5IDcuNi0zLjItMS40LTYuNC0xLjYtOS4yLS40IDIuOCAyLjYgNCA2IDMuNCA5LjhDMzggMzYgMzAgMzMuNiAyMi40IDM2LjQgMTguOCAzNy44IDE1LjIgMzcuNiAxMiAzNnoiIGZpbGw9IiM2MGE1ZmEiLz4KICA8Y2lyY2xlIGN4PSI0MyIgY3k9IjI5IiByPSIyLjIiIGZpbGw9IiNmZmYiLz4KICA8cGF0aCBkPSJNMjAgNDZoMjQiIHN0cm9rZT0iIzkzYzVmZCIgc3Ryb2tlLXdpZHRoPSIzIiBzdHJva2UtbGluZWNhcD0icm91bmQiLz4KPC9zdmc+Cg==";

      // Who sees the menu: everyone, as KubeSphere's own sample extensions do (skipAuth). Every
      // authenticated user may read the status (the API chart binds the view rights to
      // system:authenticated), but the console's menu filter reads only the role templates of the
      // user's own GlobalRole (ks-core pkg/kapis/iam/v1beta1/handler.go, pkg/models/iam/am/am.go), never
      // group-bound roles, so an authKey would hide the menu from every non-admin who may use it. A
      // user whose rights were taken away gets the 403 page (ErrorPanel's hint); the bundle is public
      // anyway (/dist/* skips authorization) and the API checks every call. docs/console.md says more.
      const AUTH_KEY = 'deepseek';

      const menus = [
        {
          // `global` is the menu that survives KubeSphere 4.2 (`topbar` is gone there).
          parent: 'global',
          name: 'deepseek',
          // Readable keys (no `.` or `:`, which i18next would split on): right whether or not the
          // console passes them through its translation.
          title: 'DeepSeek',
          desc: 'DeepSeek-R1 model status and chat',
          // A console icon name, and our own icon inline (no image host: works air-gapped).
          icon: 'cluster',
          img: icon,
          order: 0,
          // Kept for the console's role-template rule {"deepseek": "view"}; skipAuth wins.
          authKey: AUTH_KEY,
          authAction: 'view',
          skipAuth: true,
        },
      ];

      // The one call the pages make: GET the status report through the console, which proxies
      // /kapis/... to ks-apiserver with the user's token (so RBAC applies to the user, not to us).
      const STATUS_PATH = '/kapis/deepseek.kubesphere.io/v1alpha1/status';

      // An answer other than a readable status: HTTP status (0 = no answer) and what to show.
      class ApiError extends Error {
        constructor({ status, message, code, kind }) {
          super(typeof message === 'string' ? message : (message && message.en) || code || `HTTP ${status}`);
          this.status = status;
          this.apiMessage = message; // string or {en, zh}
          this.code = code || '';
          this.kind = kind; // 'http' | 'network' | 'invalid'
        }
      }

      // Error bodies come in three shapes: ours ({status, code, message: {en, zh}}), Kubernetes'
      // Status from ks-apiserver ({kind: 'Status', message, reason}) and plain text.
      function errorFromBody(status, text) {
        let body = null;
        try {
          body = JSON.parse(text);
        } catch (e) {
          body = null;
        }
        if (body && typeof body === 'object') {
          const message = body.message || body.error || body.reason || '';
          // Kubernetes' Status carries the HTTP status again as a number in `code`; its word is `reason`.
          const code = typeof body.code === 'string' && body.code ? body.code : body.reason || '';
          return new ApiError({ status, message, code, kind: 'http' });
        }
        const plain = (text || '').trim().slice(0, 500);
        return new ApiError({ status, message: plain, kind: 'http' });
      }

      async function fetchStatus({ signal } = {}) {
        let response;
        try {
          response = await fetch(STATUS_PATH, {
            credentials: 'same-origin',
            headers: { Accept: 'application/json' },
            signal,
          });
        } catch (e) {
          if (e && e.name === 'AbortError') throw e;
          throw new ApiError({ status: 0, message: (e && e.message) || String(e), kind: 'network' });
        }
        const text = await response.text();
        if (!response.ok) throw errorFromBody(response.status, text);
        let body;
        try {
          body = JSON.parse(text);
        } catch (e) {
          throw new ApiError({ status: response.status, message: '', kind: 'invalid' });
        }
        if (!body || typeof body !== 'object' || typeof body.phase !== 'string') {
          throw new ApiError({ status: response.status, message: '', kind: 'invalid' });
        }
        return body;
      }

      function _nullishCoalesce(lhs, rhsFn) { if (lhs != null) { return lhs; } else { return rhsFn(); } }// Language and translation for the pages. The console decides the language (the user's

      const SUPPORTED = ['en', 'zh'];

      function normalise(lang) {
        if (typeof lang !== 'string' || !lang) return null;
        const lower = lang.toLowerCase();
        // zh, zh-CN, zh_TW… and the console's `tc` (traditional Chinese) read Chinese texts; every
        // other language falls back to English.
        if (lower.startsWith('zh') || lower === 'tc') return 'zh';
        return SUPPORTED.includes(lower.slice(0, 2)) ? lower.slice(0, 2) : 'en';
      }

      function cookie(name) {
        if (typeof document === 'undefined') return null;
        const prefix = `${name}=`;
        const found = document.cookie.split(';').map(part => part.trim()).find(part => part.startsWith(prefix));
        return found ? decodeURIComponent(found.slice(prefix.length)) : null;
      }

      function detectLang() {
        const globals = typeof window !== 'undefined' ? window.globals : undefined;
        return (
          normalise(globals && globals.user && globals.user.lang) ||
          normalise(cookie('lang')) ||
          normalise(typeof navigator !== 'undefined' ? navigator.language : null) ||
          'en'
        );
      }

      // t('DEEPSEEK_X', {name: 'value'}) in the given language; English when a key is missing there.
      function translate(lang, key, params) {
        const table = locales[lang] || locales.en;
        const text = key in table ? table[key] : key in locales.en ? locales.en[key] : key;
        if (!params) return text;
        return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
      }

      // The label of an enum value from the API (phase, state, severity…); the raw value when this
      // bundle has no text for it, e.g. a phase added to the API after this bundle was built.
      function label(lang, prefix, value) {
        const key = `${prefix}${value}`;
        return key in (locales[lang] || {}) || key in locales.en ? translate(lang, key) : String(_nullishCoalesce(value, () => ( '')));
      }

      // A bilingual field from the API ({en, zh}) in the user's language, English as fallback.
      function pick(lang, field) {
        if (field == null) return '';
        if (typeof field === 'string') return field;
        return field[lang] || field.en || field.zh || '';
      }

      function hintKey(status) {
        if (status === 401) return 'DEEPSEEK_API_ERROR_HINT_401';
        if (status === 403) return 'DEEPSEEK_API_ERROR_HINT_403';
        if (status === 404) return 'DEEPSEEK_API_ERROR_HINT_404';
        if (status >= 500 || status === 0) return 'DEEPSEEK_API_ERROR_HINT_5XX';
        return null;
      }

      // What the API (or the console's proxy in front of it) said, as it said it: status code,
      // error code and message, plus what a person can do about that status. `title` and `hints`
      // let an action say what failed and skip the page-level hints.
      function ErrorPanel({ error, lang, title, hints = true, ...rest }) {
        const t = (key, params) => translate(lang, key, params);
        let detail;
        if (error.kind === 'network') detail = t('DEEPSEEK_API_ERROR_NETWORK', { message: pick(lang, error.apiMessage) });
        else if (error.kind === 'invalid') detail = t('DEEPSEEK_API_ERROR_INVALID');
        else detail = pick(lang, error.apiMessage);
        const hint = hints ? hintKey(error.status) : null;
        // The error code only when it adds a word: never the HTTP status again ("HTTP 403, 403").
        const code = error.code && String(error.code) !== String(error.status) ? error.code : '';
        const status = error.status ? ` (${t('DEEPSEEK_API_ERROR_STATUS', { status: error.status })}${code ? `, ${code}` : ''})` : '';
        return (
          React.createElement('div', { role: "alert", 'data-testid': "api-error", style: { marginBottom: 12 }, ...rest,}
            , React.createElement(Alert, { type: "error", title: `${title || t('DEEPSEEK_API_ERROR_TITLE')}${status}`,}
              , detail ? React.createElement('p', { style: { margin: '4px 0' },}, detail) : null
              , hint ? React.createElement('p', { style: { margin: '4px 0' },}, t(hint)) : null
            )
          )
        );
      }

      // Colours of the KubeSphere console (kubed palette), so the pages sit well inside it.
      const colors = {
        text: '#242e42',
        muted: '#79879c',
        border: '#e3e9ef',
        background: '#f9fbfd',
        card: '#ffffff',
        green: '#55bc8a',
        blue: '#329dce',
        orange: '#f5a623',
        red: '#ca2621',
        grey: '#abb4be',
        code: '#f1f4f7',
      };

      const TONES = {
        // phases
        Ready: 'green',
        Installing: 'blue',
        Scheduling: 'blue',
        PullingModel: 'blue',
        LoadingModel: 'blue',
        Degraded: 'orange',
        Failed: 'red',
        Unknown: 'grey',
        // component states
        Progressing: 'blue',
        Disabled: 'grey',
        // model states
        loaded: 'green',
        present: 'green',
        pulling: 'blue',
        partial: 'orange',
        absent: 'grey',
        failed: 'red',
        // finding severities
        error: 'red',
        warning: 'orange',
        info: 'blue',
      };

      function tone(value) {
        return colors[TONES[value] || 'grey'];
      }

      const Card = styled.section`
  background: ${colors.card};
  border: 1px solid ${colors.border};
  border-radius: 4px;
  padding: 16px 20px;
  margin-bottom: 12px;
`;

      const CardTitle = styled.h2`
  font-size: 14px;
  font-weight: 600;
  line-height: 20px;
  margin: 0 0 12px;
  color: ${colors.text};
`;

      const Muted = styled.span`
  color: ${colors.muted};
`;

      const Hint = styled.p`
  color: ${colors.muted};
  margin: 0 0 12px;
`;

      styled.span`
  display: inline-flex;
  align-items: center;
  gap: 6px;
  font-weight: 600;
  white-space: nowrap;
  &::before {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: ${props => props.color};
  }
`;

      const Code = styled.code`
  font-family: Monaco, Menlo, Consolas, 'Courier New', monospace;
  font-size: 12px;
  background: ${colors.code};
  border-radius: 3px;
  padding: 2px 6px;
  word-break: break-all;
  color: ${colors.text};
  /* The console's CssBaseline (kubed) draws backticks around every <code>; the code span is
     already the markup, so no backticks are shown. */
  &::before,
  &::after {
    content: none;
  }
`;

      const Block = styled.pre`
  font-family: Monaco, Menlo, Consolas, 'Courier New', monospace;
  font-size: 12px;
  line-height: 18px;
  background: ${colors.text};
  color: #ffffff;
  border-radius: 4px;
  padding: 10px 12px;
  margin: 0;
  white-space: pre-wrap;
  word-break: break-all;
  flex: 1;
`;

      const Row = styled.div`
  display: flex;
  align-items: stretch;
  gap: 8px;
  margin: 6px 0 12px;
`;

      const Button = styled.button`
  font: inherit;
  font-size: 12px;
  font-weight: 600;
  color: ${colors.text};
  background: #ffffff;
  border: 1px solid #ccd3db;
  border-radius: 16px;
  padding: 4px 14px;
  cursor: pointer;
  white-space: nowrap;
  &:hover {
    border-color: ${colors.text};
  }
  &:disabled {
    cursor: default;
    color: ${colors.muted};
  }
`;

      // Copy to the clipboard where the browser allows it (secure context); otherwise the text is
      // still there to select by hand.
      function CopyButton({ text, label, doneLabel }) {
        const [done, setDone] = React.useState(false);
        const canCopy = typeof navigator !== 'undefined' && navigator.clipboard && window.isSecureContext;
        if (!canCopy) return null;
        const copy = () =>
          navigator.clipboard.writeText(text).then(
            () => setDone(true),
            () => setDone(false),
          );
        return (
          React.createElement(Button, { type: "button", onClick: copy,}
            , done ? doneLabel : label
          )
        );
      }

      function CommandBlock({ command, copyLabel, copiedLabel, ...rest }) {
        return (
          React.createElement(Row, null
            , React.createElement(Block, { ...rest,}, command)
            , React.createElement(CopyButton, { text: command, label: copyLabel, doneLabel: copiedLabel,} )
          )
        );
      }

      const Track = styled.div`
  height: 10px;
  border-radius: 5px;
  background: ${colors.border};
  overflow: hidden;
`;

      const Fill = styled.div`
  height: 100%;
  width: ${props => props.percent}%;
  background: ${colors.blue};
  border-radius: 5px;
  transition: width 0.6s ease;
`;

      function ProgressBar({ percent, label }) {
        const value = Math.min(100, Math.max(0, Number(percent) || 0));
        return (
          React.createElement(Track, { role: "progressbar", 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(value),}
            , React.createElement(Fill, { percent: value,} )
          )
        );
      }

      const Table$1 = styled.table`
  width: 100%;
  border-collapse: collapse;
  th {
    text-align: left;
    font-weight: 600;
    color: ${colors.muted};
    padding: 6px 8px;
    border-bottom: 1px solid ${colors.border};
  }
  td {
    padding: 8px;
    border-bottom: 1px solid ${colors.border};
    vertical-align: top;
  }
  tr:last-child td {
    border-bottom: none;
  }
`;

      // Only http(s) URLs may become a frame or a link: addresses come from the API, and a
      // `javascript:` URL there must not run inside the console.
      function safeUrl(value) {
        if (typeof value !== 'string' || !value) return null;
        try {
          const url = new URL(value);
          // The address as the API wrote it (no trailing slash added): it is what users type too.
          return url.protocol === 'http:' || url.protocol === 'https:' ? value : null;
        } catch (e) {
          return null;
        }
      }

      // Load `load` now and again `intervalMs` after each answer while the component is mounted.
      // Calls never overlap, the pending one is aborted on unmount, and a failed call keeps the
      // last good data so the page can show it next to the error.
      function usePolling(load, intervalMs) {
        const [data, setData] = useState(null);
        const [error, setError] = useState(null);
        const [receivedAt, setReceivedAt] = useState(null);
        const [loading, setLoading] = useState(true);
        const timer = useRef(null);
        const controller = useRef(null);
        const alive = useRef(true);

        const run = useCallback(async () => {
          clearTimeout(timer.current);
          if (controller.current) controller.current.abort();
          const current = new AbortController();
          controller.current = current;
          setLoading(true);
          try {
            const result = await load({ signal: current.signal });
            if (!alive.current || current.signal.aborted) return;
            setData(result);
            setError(null);
            setReceivedAt(new Date());
          } catch (e) {
            if (!alive.current || current.signal.aborted) return;
            setError(e);
          }
          setLoading(false);
          if (intervalMs > 0) timer.current = setTimeout(run, intervalMs);
        }, [load, intervalMs]);

        useEffect(() => {
          alive.current = true;
          run();
          return () => {
            alive.current = false;
            clearTimeout(timer.current);
            if (controller.current) controller.current.abort();
          };
        }, [run]);

        return { data, error, receivedAt, loading, refresh: run };
      }

      const NAMESPACE = 'extension-deepseek';
      const PORT_FORWARD = `kubectl -n ${NAMESPACE} port-forward svc/deepseek-backend-chat-service 3000:3000`;
      const LOCAL_URL = 'http://localhost:3000';
      // Where the access code lives; the page shows how to read it, never the code itself.
      const ACCESS_CODE = `kubectl -n ${NAMESPACE} get secret deepseek-chat-access -o jsonpath='{.data.code}' | base64 -d`;

      const Bar = styled(Card)`
  display: flex;
  align-items: center;
  gap: 12px;
  padding: 10px 20px;
  a {
    color: ${colors.blue};
    font-weight: 600;
  }
`;

      const Frame = styled.iframe`
  display: block;
  width: 100%;
  height: calc(100vh - 260px);
  min-height: 480px;
  border: 1px solid ${colors.border};
  border-radius: 4px;
  background: #ffffff;
  margin-bottom: 12px;
`;

      const Steps = styled.ol`
  margin: 0;
  padding-left: 20px;
  li {
    margin: 6px 0;
  }
`;

      function AccessCode({ t }) {
        return (
          React.createElement(Card, { 'data-testid': "access-code",}
            , React.createElement(CardTitle, null, t('DEEPSEEK_CHAT_CODE_TITLE'))
            , React.createElement(Hint, null, t('DEEPSEEK_CHAT_CODE_TEXT'))
            , React.createElement(CommandBlock, { command: ACCESS_CODE, copyLabel: t('DEEPSEEK_COPY'), copiedLabel: t('DEEPSEEK_COPIED'),} )
          )
        );
      }

      function NoIngress({ t, unknown }) {
        return (
          React.createElement(React.Fragment, null
            , React.createElement(Card, { 'data-testid': "no-ingress",}
              , React.createElement(CardTitle, null, t('DEEPSEEK_CHAT_NO_INGRESS_TITLE'))
              , React.createElement(Hint, null, unknown ? t('DEEPSEEK_CHAT_STATUS_UNKNOWN') : t('DEEPSEEK_CHAT_NO_INGRESS_TEXT'))
            )
            , React.createElement(Card, { 'data-testid': "port-forward",}
              , React.createElement(CardTitle, null, t('DEEPSEEK_CHAT_PORT_FORWARD_TITLE'))
              , React.createElement(Hint, null, t('DEEPSEEK_CHAT_PORT_FORWARD_TEXT', { url: LOCAL_URL }))
              , React.createElement(CommandBlock, { command: PORT_FORWARD, copyLabel: t('DEEPSEEK_COPY'), copiedLabel: t('DEEPSEEK_COPIED'),} )
            )
            , React.createElement(Card, { 'data-testid': "enable-ingress",}
              , React.createElement(CardTitle, null, t('DEEPSEEK_CHAT_ENABLE_TITLE'))
              , React.createElement(Steps, null
                , React.createElement('li', null, t('DEEPSEEK_CHAT_ENABLE_STEP1'))
                , React.createElement('li', null, t('DEEPSEEK_CHAT_ENABLE_STEP2'))
                , React.createElement('li', null, t('DEEPSEEK_CHAT_ENABLE_STEP3'))
              )
            )
          )
        );
      }

      function ChatPage() {
        const lang = React.useMemo(detectLang, []);
        const t = (key, params) => translate(lang, key, params);
        // Read once: the chat address only changes when the extension config changes.
        const { data, error } = usePolling(fetchStatus, 0);
        if (!data && !error) return React.createElement(Card, null, t('DEEPSEEK_LOADING'));

        const chat = safeUrl(data && data.endpoints && data.endpoints.chat);
        if (!chat) {
          return (
            React.createElement('div', { 'data-testid': "chat-page",}
              , error ? React.createElement(ErrorPanel, { error: error, lang: lang,} ) : null
              , React.createElement(NoIngress, { t: t, unknown: Boolean(error),} )
              , React.createElement(AccessCode, { t: t,} )
            )
          );
        }
        const blocked = typeof window !== 'undefined' && window.location.protocol === 'https:' && chat.startsWith('http:');
        return (
          React.createElement('div', { 'data-testid': "chat-page",}
            , React.createElement(Bar, null
              , React.createElement('span', { 'data-testid': "chat-url",}, t('DEEPSEEK_CHAT_AT', { url: chat }))
              , React.createElement('a', { href: chat, target: "_blank", rel: "noopener noreferrer" ,}
                , t('DEEPSEEK_CHAT_OPEN_TAB')
              )
              , React.createElement(Muted, { style: { marginLeft: 'auto' },}, t('DEEPSEEK_CHAT_CODE_TITLE'), ": deepseek-chat-access" )
            )
            , blocked ? (
              React.createElement(Card, { 'data-testid': "mixed-content",}
                , React.createElement(CardTitle, null, t('DEEPSEEK_CHAT_MIXED_TITLE'))
                , React.createElement(Hint, null, t('DEEPSEEK_CHAT_MIXED'))
              )
            ) : (
              React.createElement(Frame, {
                src: chat,
                title: t('DEEPSEEK_CHAT_FRAME_TITLE'),
                'data-testid': "chat-frame",
                referrerPolicy: "no-referrer",
                sandbox: "allow-scripts allow-same-origin allow-forms allow-popups allow-downloads"    ,}
              )
            )
            , React.createElement(AccessCode, { t: t,} )
          )
        );
      }

      const Page = styled.div`
  min-height: 100%;
  box-sizing: border-box;
  padding: 20px;
  background: #eff4f9;
  color: ${colors.text};
  font-family: Roboto, PingFangSC, 'Lantinghei SC', 'Helvetica Neue', Helvetica, Arial, 'Microsoft YaHei', sans-serif;
  font-size: 12px;
  line-height: 1.67;
`;

      const Header = styled.header`
  display: flex;
  align-items: center;
  gap: 12px;
  background: ${colors.card};
  border: 1px solid ${colors.border};
  border-radius: 4px;
  padding: 12px 20px;
  margin-bottom: 12px;
  img {
    width: 40px;
    height: 40px;
  }
  h1 {
    font-size: 20px;
    line-height: 28px;
    margin: 0;
  }
  p {
    margin: 0;
    color: ${colors.muted};
  }
`;

      const Tabs = styled.nav`
  margin-left: auto;
  display: flex;
  gap: 4px;
`;

      const Tab = styled(NavLink)`
  color: ${colors.muted};
  font-weight: 600;
  font-size: 14px;
  text-decoration: none;
  padding: 6px 16px;
  border-radius: 16px;
  &.active {
    color: #ffffff;
    background: ${colors.text};
  }
`;

      // The frame of both pages: extension header and the Status / Chat tabs; the page goes below.
      function Layout() {
        const lang = React.useMemo(detectLang, []);
        const t = key => translate(lang, key);
        return (
          React.createElement(Page, { lang: lang, 'data-testid': "deepseek-page",}
            , React.createElement(Header, null
              , React.createElement('img', { src: icon, alt: "",} )
              , React.createElement('div', null
                , React.createElement('h1', null, t('DEEPSEEK_MENU_TITLE'))
                , React.createElement('p', null, t('DEEPSEEK_SUBTITLE'))
              )
              , React.createElement(Tabs, null
                , React.createElement(Tab, { to: "/deepseek/status",}, t('DEEPSEEK_TAB_STATUS'))
                , React.createElement(Tab, { to: "/deepseek/chat",}, t('DEEPSEEK_TAB_CHAT'))
              )
            )
            , React.createElement(Outlet, null )
          )
        );
      }

      // The status page's other calls (contract §3, §4), through the console like fetchStatus: the
      // user's own token, so ks-apiserver applies the user's RBAC to each one.

      const API_PREFIX = '/kapis/deepseek.kubesphere.io/v1alpha1';

      // ollama names keep their ':' and '/' (deepseek-r1:7b, hf.co/org/model): the API routes models/<path:name>.
      const modelPath = name => `${API_PREFIX}/models/${encodeURIComponent(name).replace(/%3A/gi, ':').replace(/%2F/gi, '/')}`;

      async function call(method, path, { signal } = {}) {
        let response;
        try {
          response = await fetch(path, { method, credentials: 'same-origin', headers: { Accept: 'application/json' }, signal });
        } catch (e) {
          if (e && e.name === 'AbortError') throw e;
          throw new ApiError({ status: 0, message: (e && e.message) || String(e), kind: 'network' });
        }
        const text = await response.text();
        if (!response.ok) throw errorFromBody(response.status, text);
        if (response.status === 204 || !text) return {};
        try {
          const body = JSON.parse(text);
          if (body && typeof body === 'object') return body;
        } catch (e) {
          // fall through: not JSON
        }
        throw new ApiError({ status: response.status, message: '', kind: 'invalid' });
      }

      const fetchModel = (name, options) => call('GET', modelPath(name), options);
      const pullModel = name => call('POST', `${modelPath(name)}/pull`);
      const deleteModel = name => call('DELETE', modelPath(name));
      const fetchUsage = options => call('GET', `${API_PREFIX}/usage`, options);
      const fetchAccessCode = options => call('GET', `${API_PREFIX}/accesscode`, options);

      // NextChat's access code for administrators (GET accesscode, which only the "manage" role
      // template grants): read when asked, shown with a copy button, hidden again on request and
      // never kept after the page is left. Other users never see this card.
      function AccessCodeCard({ lang }) {
        const t = (key, params) => translate(lang, key, params);
        const [state, setState] = React.useState({ loading: false, data: null, error: null });
        const show = async () => {
          setState({ loading: true, data: null, error: null });
          try {
            setState({ loading: false, data: await fetchAccessCode(), error: null });
          } catch (error) {
            setState({ loading: false, data: null, error });
          }
        };
        const { data, error, loading } = state;
        return (
          React.createElement(Card, { 'data-testid': "access-code-card",}
            , React.createElement(CardTitle, null, t('DEEPSEEK_ACCESS_CODE'))
            , React.createElement(Hint, null, t('DEEPSEEK_ACCESS_CODE_HINT'))
            , data ? (
              React.createElement('div', { style: { display: 'flex', gap: 8, alignItems: 'center' },}
                , React.createElement(Code, { 'data-testid': "access-code-value",}, data.accessCode)
                , React.createElement(CopyButton, { text: data.accessCode || '', label: t('DEEPSEEK_COPY'), doneLabel: t('DEEPSEEK_COPIED'),} )
                , React.createElement(Button$1, { size: "sm", variant: "text", 'data-testid': "access-code-hide", onClick: () => setState({ loading: false, data: null, error: null }),}
                  , t('DEEPSEEK_ACCESS_CODE_HIDE')
                )
                , data.secret ? React.createElement(Hint, { style: { margin: 0 },}, t('DEEPSEEK_ACCESS_CODE_SECRET', { secret: data.secret })) : null
              )
            ) : (
              React.createElement(Button$1, { size: "sm", variant: "outline", 'data-testid': "access-code-show", loading: loading, onClick: show,}
                , t('DEEPSEEK_ACCESS_CODE_SHOW')
              )
            )
            , error ? React.createElement(ErrorPanel, { error: error, lang: lang, hints: false, title: t('DEEPSEEK_ACCESS_CODE_FAILED'),} ) : null
          )
        );
      }

      // Pure decisions of the status page (no DOM, no fetch; `now` and the console globals are inputs),
      // unit-tested in test/status.test.js.

      // ----- what a state may say -------------------------------------------------------------------
      function hasError(findings) {
        return Array.isArray(findings) && findings.some(finding => finding && finding.severity === 'error');
      }

      // A component with an error finding is never shown Ready (nor "in progress" with nothing
      // wrong): the API should already say so (contract §4); the page does not repeat a contradiction
      // an older API may still send.
      function componentState(component) {
        const state = component && component.state;
        if (hasError(component && component.findings) && (state === 'Ready' || state === 'Progressing')) return 'Failed';
        return state || 'Unknown';
      }

      // The phase of the whole report: Ready while some component has an error reads Degraded.
      function reportPhase(report) {
        const phase = (report && report.phase) || 'Unknown';
        const components = (report && Array.isArray(report.components) && report.components) || [];
        if (phase === 'Ready' && components.some(component => hasError(component.findings))) return 'Degraded';
        return phase;
      }

      // What to say under a component that has no finding of its own. "No problems found" only when
      // nothing is wrong; a component that waits names the components whose errors it waits for.
      function quietComponent(component, components) {
        const state = componentState(component);
        if (state === 'Ready') return { key: 'DEEPSEEK_NO_FINDINGS' };
        if (state === 'Disabled') return { key: 'DEEPSEEK_COMPONENT_DISABLED' };
        if (state === 'Unknown') return { key: 'DEEPSEEK_COMPONENT_UNCHECKED' };
        const blocking = (components || [])
          .filter(other => other !== component && other.name !== component.name && hasError(other.findings))
          .map(other => other.name);
        return blocking.length ? { key: 'DEEPSEEK_COMPONENT_WAITS_FOR', components: blocking } : { key: 'DEEPSEEK_COMPONENT_NO_OWN' };
      }

      // ----- texts with `code` ----------------------------------------------------------------------
      // Catalog texts mark commands and keys with backticks: [{text, code}] segments to render as
      // <code> spans, never as literal backticks. An unpaired backtick stays text.
      function codeSegments(text) {
        const value = typeof text === 'string' ? text : '';
        const parts = value.split('`');
        if (parts.length % 2 === 0) return value ? [{ text: value, code: false }] : [];
        return parts
          .map((part, index) => ({ text: part, code: index % 2 === 1 }))
          .filter(segment => segment.text !== '');
      }

      // ----- who may act ----------------------------------------------------------------------------
      // Administrator = the console's own permission data says so: ks-console keeps the user's global
      // role-template rules as globals.user.globalRules[module] = [actions..., template names]
      // (server/services/session.js getUserGlobalRules), and its permission checks treat `manage` and
      // `*` as every action and skip checks with globals.config.disableAuthorization
      // (packages/shared/src/utils/nav.ts getActions/hasPermission). Our RoleTemplates carry
      // role-template-rules {"deepseek": "manage"} (contract §3). The API still checks every call.
      function isAdministrator(globals) {
        if (!globals || typeof globals !== 'object') return false;
        if (globals.config && globals.config.disableAuthorization === true) return true;
        const rules = globals.user && globals.user.globalRules && globals.user.globalRules.deepseek;
        return Array.isArray(rules) && (rules.includes('manage') || rules.includes('*'));
      }

      // ----- links into the console -----------------------------------------------------------------
      // ks-console routes (packages/console/src/pages/clusters/containers/Workload/Pods/Detail/routes.tsx,
      // ../ContainerDetail/routes.tsx): /clusters/:cluster/projects/:namespace/pods/:name/{resource-status,
      // events} and .../pods/:podName/containers/:containerName/logs. The extension runs on the host
      // cluster, which KubeSphere names `host` (packages/shared/src/utils/checker.ts defaults to it).
      const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

      function consoleLink(link, cluster = 'host') {
        if (!link || typeof link !== 'object') return null;
        const { kind, namespace, name, container } = link;
        if (![namespace, name, cluster].every(part => typeof part === 'string' && DNS_NAME.test(part))) return null;
        const pod = `/clusters/${cluster}/projects/${namespace}/pods/${name}`;
        if (kind === 'pod') return `${pod}/resource-status`;
        if (kind === 'events') return `${pod}/events`;
        if (kind === 'logs') {
          return typeof container === 'string' && DNS_NAME.test(container) ? `${pod}/containers/${container}/logs` : null;
        }
        return null;
      }

      // ----- model actions --------------------------------------------------------------------------
      const BUSY_PHASES = ['Pulling', 'Verifying', 'Loading'];
      const RETRY_STATES = ['failed', 'absent', 'partial'];

      // {retry, remove}: each {enabled, reason} where reason is a locale key saying why not.
      // `detail` is GET models/{name} (configured, downloads, phase, requested...), null when unread.
      function modelActions({ model, detail, admin }) {
        const deny = reason => ({ enabled: false, reason });
        if (!admin) return { retry: deny('DEEPSEEK_ACTION_NEEDS_MANAGE'), remove: deny('DEEPSEEK_ACTION_NEEDS_MANAGE') };
        const state = (detail && detail.state) || (model && model.state);
        let retry = { enabled: true, reason: null };
        if (detail && detail.configured === false) retry = deny('DEEPSEEK_RETRY_NOT_CONFIGURED');
        else if (detail && detail.downloads === false) retry = deny('DEEPSEEK_RETRY_OFFLINE');
        else if (detail && detail.requested) retry = deny('DEEPSEEK_RETRY_REQUESTED');
        else if (detail && detail.phase === 'Stalled') retry = { enabled: true, reason: null }; // no bytes for minutes: retry now
        else if (state === 'pulling' || (detail && BUSY_PHASES.includes(detail.phase) && state !== 'failed')) retry = deny('DEEPSEEK_RETRY_BUSY');
        else if (!RETRY_STATES.includes(state)) retry = deny('DEEPSEEK_RETRY_NOT_NEEDED');
        let remove = { enabled: true, reason: null };
        if (!detail) remove = deny('DEEPSEEK_DELETE_UNKNOWN');
        else if (detail.configured) remove = deny('DEEPSEEK_DELETE_CONFIGURED');
        else if (state !== 'present' && state !== 'loaded' && state !== 'partial') remove = deny('DEEPSEEK_DELETE_ABSENT');
        return { retry, remove };
      }

      // Retry count and the next retry as the manager recorded them; `inSeconds` from `now` (ms).
      function retryInfo(detail, now) {
        if (!detail || typeof detail !== 'object') return null;
        const attempts = typeof detail.attempts === 'number' ? detail.attempts : 0;
        const next = detail.nextRetryAt ? Date.parse(detail.nextRetryAt) : NaN;
        if (!attempts && Number.isNaN(next)) return null;
        return {
          attempts,
          nextRetryAt: Number.isNaN(next) ? null : detail.nextRetryAt,
          inSeconds: Number.isNaN(next) ? null : Math.max(0, Math.round((next - now) / 1000)),
        };
      }

      // ----- serving summary ------------------------------------------------------------------------
      // Rows of the Ready page's serving summary (contract §4 `serving`): [{key, value}] with value
      // either a locale key (`label`) or plain text.
      function servingRows(serving) {
        if (!serving || typeof serving !== 'object') return [];
        const rows = [];
        if (serving.accelerator) rows.push({ key: 'DEEPSEEK_SERVING_ACCELERATOR', label: `DEEPSEEK_ACCELERATOR_${serving.accelerator}` });
        if (serving.accelerator && serving.accelerator !== 'cpu' && typeof serving.gpus === 'number') {
          rows.push({ key: 'DEEPSEEK_SERVING_GPUS', text: String(serving.gpus) });
        }
        if (typeof serving.contextLength === 'number') rows.push({ key: 'DEEPSEEK_SERVING_CONTEXT', tokens: serving.contextLength });
        if (typeof serving.numParallel === 'number') rows.push({ key: 'DEEPSEEK_SERVING_PARALLEL', text: String(serving.numParallel) });
        if (typeof serving.maxLoadedModels === 'number') rows.push({ key: 'DEEPSEEK_SERVING_MAX_LOADED', text: String(serving.maxLoadedModels) });
        if (serving.memoryRequest || serving.memoryLimit) {
          rows.push({ key: 'DEEPSEEK_SERVING_MEMORY', request: serving.memoryRequest || '–', limit: serving.memoryLimit || '–' });
        }
        return rows;
      }

      // ----- usage ----------------------------------------------------------------------------------
      // GET usage items (contract §3) as table rows, busiest first; the caller named as a person reads it.
      function usageRows(usage) {
        const items = (usage && Array.isArray(usage.items) && usage.items) || [];
        return items
          .filter(item => item && typeof item.caller === 'string')
          .map(item => {
            const isUser = item.kind === 'user' || item.caller.startsWith('user:');
            return {
              caller: item.caller,
              name: isUser ? item.caller.replace(/^user:/, '') : item.caller,
              kind: isUser ? 'user' : 'key',
              requests: item.requests || 0,
              errors: item.errors || 0,
              promptTokens: item.promptTokens || 0,
              completionTokens: item.completionTokens || 0,
              models: Object.keys(item.models || {}).sort(),
            };
          })
          .sort((a, b) => b.requests - a.requests || a.caller.localeCompare(b.caller));
      }

      // 12345 -> "12,345" / "12,345" (both languages group by thousands).
      function formatCount(value) {
        return typeof value === 'number' && Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '';
      }

      // A catalog text whose `commands` and `keys` are marked with backticks, with those parts as
      // code spans (the backticks are markup, not text to show).
      function CodeText({ text }) {
        return (
          React.createElement(React.Fragment, null
            , codeSegments(text).map((segment, index) =>
              segment.code ? React.createElement(Code, { key: index,}, segment.text) : React.createElement(React.Fragment, { key: index,}, segment.text),
            )
          )
        );
      }

      const Item = styled.li`
  list-style: none;
  border-left: 3px solid ${props => props.color};
  background: ${colors.background};
  padding: 8px 12px;
  margin: 8px 0 0;
  p {
    margin: 4px 0;
  }
  .links a {
    color: ${colors.blue};
    margin-right: 12px;
  }
`;

      const Label = styled.strong`
  margin-right: 6px;
`;

      const TAG_COLOR = { error: 'error', warning: 'warning', info: 'info' };

      function evidenceText(evidence) {
        if (!evidence || typeof evidence !== 'object') return '';
        const parts = [];
        const object = [evidence.kind, evidence.name].filter(Boolean).join(' ');
        if (object) parts.push(object);
        if (evidence.field) parts.push(evidence.field);
        if (evidence.pod) parts.push(evidence.pod);
        if (evidence.event) parts.push(evidence.event);
        return parts.join(' · ');
      }

      // Links to the console's own pages of the pod, its events and its logs (finding `links`, contract §4).
      function ConsoleLinks({ links, lang }) {
        const t = (key, params) => translate(lang, key, params);
        const shown = (Array.isArray(links) ? links : [])
          .map(link => ({ link, href: consoleLink(link) }))
          .filter(item => item.href);
        if (!shown.length) return null;
        return (
          React.createElement('p', { className: "links", 'data-testid': "finding-links",}
            , React.createElement(Label, null, t('DEEPSEEK_LINKS'), ":")
            , shown.map(({ link, href }) => (
              React.createElement(Link, { key: href, to: href, 'data-testid': `link-${link.kind}`,}
                , t(`DEEPSEEK_LINK_${link.kind}`, { name: link.name, container: link.container || '' })
              )
            ))
          )
        );
      }

      // One finding: what is wrong (in the user's language), the evidence, how to fix it, where to look.
      function Finding({ finding, lang }) {
        const t = key => translate(lang, key);
        const severity = finding.severity || 'info';
        const evidence = evidenceText(finding.evidence);
        const fix = pick(lang, finding.fix);
        return (
          React.createElement(Item, { color: tone(severity), 'data-testid': "finding", 'data-code': finding.code, 'data-severity': severity,}
            , React.createElement('p', null
              , React.createElement(Tag, { color: TAG_COLOR[severity] || 'default',}, label(lang, 'DEEPSEEK_SEVERITY_', severity)), ' '
              , React.createElement('span', { 'data-testid': "finding-message",}
                , React.createElement(CodeText, { text: pick(lang, finding.message),} )
              )
            )
            , fix ? (
              React.createElement('p', { 'data-testid': "finding-fix",}
                , React.createElement(Label, null, t('DEEPSEEK_FIX'), ":")
                , React.createElement(CodeText, { text: fix,} )
              )
            ) : null
            , evidence ? (
              React.createElement('p', null
                , React.createElement(Label, null, t('DEEPSEEK_EVIDENCE'), ":")
                , React.createElement(Code, null, evidence)
              )
            ) : null
            , React.createElement(ConsoleLinks, { links: finding.links, lang: lang,} )
            , finding.path ? (
              React.createElement('p', null
                , React.createElement(Label, null, t('DEEPSEEK_CONFIG_KEY'), ":")
                , React.createElement(Code, null, finding.path)
              )
            ) : null
            , finding.code ? (
              React.createElement('p', null
                , React.createElement(Label, null, t('DEEPSEEK_CODE'), ":")
                , React.createElement(Code, null, finding.code)
              )
            ) : null
          )
        );
      }

      // Pure formatting helpers for sizes, rates and durations (decimal units, as ollama reports them).
      const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

      function formatBytes(bytes) {
        if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '';
        let value = bytes;
        let unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
          value /= 1000;
          unit += 1;
        }
        const digits = unit === 0 || value >= 100 ? 0 : 1;
        return `${value.toFixed(digits)} ${UNITS[unit]}`;
      }

      const DURATION_UNITS = {
        en: { h: 'h', min: 'min', s: 's', sep: ' ' },
        zh: { h: '小时', min: '分', s: '秒', sep: '' },
      };

      // 4 min 10 s / 2 h 5 min; the two largest units are enough for an estimate.
      function formatDuration(seconds, lang) {
        if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '';
        const u = DURATION_UNITS[lang] || DURATION_UNITS.en;
        const total = Math.round(seconds);
        const h = Math.floor(total / 3600);
        const m = Math.floor((total % 3600) / 60);
        const s = total % 60;
        const part = (n, unit) => `${n}${u.sep}${unit}`;
        if (h > 0) return m > 0 ? `${part(h, u.h)} ${part(m, u.min)}` : part(h, u.h);
        if (m > 0) return s > 0 ? `${part(m, u.min)} ${part(s, u.s)}` : part(m, u.min);
        return part(s, u.s);
      }

      function formatPercent(percent) {
        if (typeof percent !== 'number' || !Number.isFinite(percent)) return '';
        // One decimal, as the API reports it (42.5%); whole numbers without ".0".
        const clamped = Math.min(100, Math.max(0, percent));
        return `${Number(clamped.toFixed(1))}%`;
      }

      function formatTime(iso, lang) {
        if (!iso) return '';
        const date = new Date(iso);
        if (Number.isNaN(date.getTime())) return String(iso);
        return date.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { hour12: false });
      }

      // A state as the console shows one: kubed's StatusDot with the translated word (the colour
      // repeats the word, never replaces it).
      const DOT = {
        // kubed resolves palette names, then colour scales (colors.blue[2]); its 'primary' is the
        // word "green", which StatusDot cannot tint, so blue is named by its scale.
        green: 'success', blue: 'blue', orange: 'warning', red: 'error', grey: 'default',
      };
      const TONE = {
        Ready: 'green', loaded: 'green', present: 'green',
        Installing: 'blue', Scheduling: 'blue', PullingModel: 'blue', LoadingModel: 'blue', Progressing: 'blue',
        pulling: 'blue', Pulling: 'blue', Verifying: 'blue', Loading: 'blue', Pending: 'blue',
        Degraded: 'orange', partial: 'orange', Partial: 'orange', Stalled: 'orange', missing: 'orange', Missing: 'orange',
        Failed: 'red', failed: 'red',
      };

      function StateDot({ value, children, ...rest }) {
        const color = DOT[TONE[value] || 'grey'];
        return (
          React.createElement(StatusDot, { color: color, motion: TONE[value] === 'blue', 'data-state': value, ...rest,}
            , children
          )
        );
      }

      const Actions = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 8px;
  align-items: center;
  .reason {
    flex-basis: 100%;
  }
`;

      const Detail = styled.div`
  margin-top: 4px;
  p {
    margin: 2px 0;
  }
`;

      // Reasons worth a line under the buttons; the others (nothing to retry, not configured) stay
      // in the buttons' tooltips.
      const SAID = ['DEEPSEEK_RETRY_BUSY', 'DEEPSEEK_RETRY_REQUESTED', 'DEEPSEEK_RETRY_OFFLINE'];

      // The text of an API value this bundle knows, else a translated fallback (never the raw code).
      function known(lang, prefix, value, fallback) {
        const text = label(lang, prefix, value);
        return text === String(value) ? translate(lang, fallback) : text;
      }

      // One model: state, sizes, the manager's record (phase, attempts, next retry, last error) and
      // the actions an administrator may take on it.
      function ModelRow({ model, lang, admin, pollMs, onChanged }) {
        const t = (key, params) => translate(lang, key, params);
        const load = React.useCallback(options => fetchModel(model.name, options), [model.name]);
        const details = usePolling(load, pollMs);
        const detail = details.data;
        const [busy, setBusy] = React.useState(null);
        const [confirming, setConfirming] = React.useState(false);
        const [outcome, setOutcome] = React.useState(null); // {error} | {done: key}
        const actions = modelActions({ model, detail, admin });
        const settled = model.state === 'loaded' || model.state === 'present';
        const retry = settled ? null : retryInfo(detail, Date.now());
        const phase = detail && detail.phase;

        const act = async (name, call) => {
          setBusy(name);
          setOutcome(null);
          try {
            await call(model.name);
            setOutcome({ done: name === 'retry' ? 'DEEPSEEK_RETRY_DONE' : 'DEEPSEEK_DELETE_DONE' });
            details.refresh();
            if (onChanged) onChanged();
          } catch (error) {
            setOutcome({ error, name });
          }
          setBusy(null);
        };
        const reasons = [actions.retry.reason, actions.remove.reason].filter(Boolean);
        const reason = reasons.includes('DEEPSEEK_ACTION_NEEDS_MANAGE') ? 'DEEPSEEK_ACTION_NEEDS_MANAGE' : null;
        return (
          React.createElement('tr', { 'data-testid': "model-row", 'data-model': model.name,}
            , React.createElement('td', null
              , React.createElement(Code, null, model.name)
            )
            , React.createElement('td', null
              , React.createElement(StateDot, { value: model.state, 'data-testid': "model-state",}
                , label(lang, 'DEEPSEEK_MODEL_', model.state)
                , model.progress && typeof model.progress.percent === 'number' ? ` ${formatPercent(model.progress.percent)}` : ''
              )
              , React.createElement(Detail, { 'data-testid': "model-detail",}
                , phase && phase !== 'Ready' ? (
                  React.createElement('p', { 'data-testid': "model-phase",}
                    , React.createElement(Muted, null, t('DEEPSEEK_MANAGER_PHASE'), ": " )
                    , known(lang, 'DEEPSEEK_MANAGER_', phase, 'DEEPSEEK_STATE_Unknown')
                  )
                ) : null
                , retry && retry.attempts ? (
                  React.createElement('p', { 'data-testid': "model-attempts",}, t('DEEPSEEK_ATTEMPTS', { count: retry.attempts }))
                ) : null
                , retry && retry.nextRetryAt ? (
                  React.createElement('p', { 'data-testid': "model-next-retry",}
                    , t('DEEPSEEK_NEXT_RETRY', {
                      time: formatTime(retry.nextRetryAt, lang),
                      in: formatDuration(retry.inSeconds, lang),
                    })
                  )
                ) : null
                , detail && detail.lastError && model.state !== 'loaded' && model.state !== 'present' ? (
                  React.createElement('p', { 'data-testid': "model-last-error",}
                    , React.createElement(Muted, null, t('DEEPSEEK_LAST_ERROR'), ": " )
                    , known(lang, 'DEEPSEEK_FAILURE_', detail.lastError.code, 'DEEPSEEK_FAILURE_Other'), " " , React.createElement(Code, null, detail.lastError.code)
                  )
                ) : null
                , detail && detail.hint && model.state !== 'loaded' ? (
                  React.createElement('p', { 'data-testid': "model-hint",}
                    , React.createElement(CodeText, { text: pick(lang, detail.hint),} )
                  )
                ) : null
              )
            )
            , React.createElement('td', null, model.sizeBytes ? formatBytes(model.sizeBytes) : React.createElement(Muted, null, "–"))
            , React.createElement('td', null, model.sizeVramBytes ? formatBytes(model.sizeVramBytes) : React.createElement(Muted, null, "–"))
            , React.createElement('td', null
              , React.createElement(Actions, null
                , React.createElement(Button$1, {
                  size: "sm",
                  variant: "outline",
                  'data-testid': "retry",
                  disabled: !actions.retry.enabled || busy !== null,
                  loading: busy === 'retry',
                  title: actions.retry.reason ? t(actions.retry.reason) : undefined,
                  onClick: () => act('retry', pullModel),}

                  , t('DEEPSEEK_RETRY_NOW')
                )
                , React.createElement(Button$1, {
                  size: "sm",
                  variant: "outline",
                  color: "error",
                  'data-testid': "delete",
                  disabled: !actions.remove.enabled || busy !== null,
                  loading: busy === 'delete',
                  title: actions.remove.reason ? t(actions.remove.reason) : undefined,
                  onClick: () => setConfirming(true),}

                  , t('DEEPSEEK_DELETE')
                )
                , reason ? (
                  React.createElement(Muted, { className: "reason", 'data-testid': "actions-reason",}
                    , t(reason)
                  )
                ) : null
                , !reason && SAID.includes(actions.retry.reason) ? (
                  React.createElement(Muted, { className: "reason", 'data-testid': "retry-reason",}
                    , t(actions.retry.reason)
                  )
                ) : null
              )
              , outcome && outcome.done ? (
                React.createElement(Muted, { 'data-testid': "action-done",}, t(outcome.done, { model: model.name }))
              ) : null
              , outcome && outcome.error ? (
                React.createElement(ErrorPanel, {
                  error: outcome.error,
                  lang: lang,
                  hints: false,
                  title: t(outcome.name === 'retry' ? 'DEEPSEEK_RETRY_FAILED' : 'DEEPSEEK_DELETE_FAILED'),
                  'data-testid': "action-error",}
                )
              ) : null
              , React.createElement(Modal, {
                visible: confirming,
                title: t('DEEPSEEK_DELETE_CONFIRM_TITLE', { model: model.name }),
                okText: t('DEEPSEEK_DELETE'),
                cancelText: t('DEEPSEEK_CANCEL'),
                okButtonProps: { color: 'error' },
                onOk: () => {
                  setConfirming(false);
                  act('delete', deleteModel);
                },
                onCancel: () => setConfirming(false),
                width: 480,}

                , React.createElement('p', { 'data-testid': "delete-confirm",}, t('DEEPSEEK_DELETE_CONFIRM_TEXT', { model: model.name }))
              )
            )
          )
        );
      }

      function ModelsCard({ models, lang, admin, pollMs, onChanged }) {
        const t = key => translate(lang, key);
        return (
          React.createElement(Card, { 'data-testid': "models",}
            , React.createElement(CardTitle, null, t('DEEPSEEK_MODELS'))
            , models.length === 0 ? (
              React.createElement(Muted, null, t('DEEPSEEK_NO_MODELS'))
            ) : (
              React.createElement(Table$1, null
                , React.createElement('thead', null
                  , React.createElement('tr', null
                    , React.createElement('th', null, t('DEEPSEEK_MODEL_NAME'))
                    , React.createElement('th', null, t('DEEPSEEK_MODEL_STATE'))
                    , React.createElement('th', null, t('DEEPSEEK_MODEL_SIZE'))
                    , React.createElement('th', null, t('DEEPSEEK_MODEL_VRAM'))
                    , React.createElement('th', { style: { width: '26%' },}, t('DEEPSEEK_ACTIONS'))
                  )
                )
                , React.createElement('tbody', null
                  , models.map(model => (
                    React.createElement(ModelRow, { key: model.name, model: model, lang: lang, admin: admin, pollMs: pollMs, onChanged: onChanged,} )
                  ))
                )
              )
            )
          )
        );
      }

      const Grid = styled.dl`
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
  gap: 8px 24px;
  margin: 0;
  dt {
    color: ${colors.muted};
  }
  dd {
    margin: 0;
    font-size: 14px;
    font-weight: 600;
  }
`;

      // How the model is served, on the Ready page (contract §4 `serving`).
      function ServingCard({ serving, lang }) {
        const t = (key, params) => translate(lang, key, params);
        const rows = servingRows(serving);
        if (!rows.length) return null;
        const value = row => {
          if (row.label) return t(row.label);
          if (row.tokens !== undefined) return t('DEEPSEEK_SERVING_TOKENS', { tokens: formatCount(row.tokens) });
          if (row.request !== undefined) return t('DEEPSEEK_SERVING_MEMORY_VALUE', { request: row.request, limit: row.limit });
          return row.text;
        };
        return (
          React.createElement(Card, { 'data-testid': "serving",}
            , React.createElement(CardTitle, null, t('DEEPSEEK_SERVING'))
            , React.createElement(Grid, null
              , rows.map(row => (
                React.createElement('div', { key: row.key, 'data-testid': `serving-${row.key.replace('DEEPSEEK_SERVING_', '').toLowerCase()}`,}
                  , React.createElement('dt', null, t(row.key))
                  , React.createElement('dd', null, value(row))
                )
              ))
            )
          )
        );
      }

      const { Table, TableHead, TableBody, TableRow, TableCell } = BaseTable;

      // Requests and tokens per caller (API key or console user) as the gateways count them
      // (GET usage, contract §3), since the oldest reporting gateway started.
      function UsageCard({ lang, pollMs }) {
        const t = (key, params) => translate(lang, key, params);
        const { data, error } = usePolling(fetchUsage, pollMs);
        const rows = usageRows(data);
        const partial = data && typeof data.podsTotal === 'number' && data.podsReporting < data.podsTotal;
        return (
          React.createElement(Card, { 'data-testid': "usage",}
            , React.createElement(CardTitle, null, t('DEEPSEEK_USAGE'))
            , data ? (
              React.createElement(Hint, { 'data-testid': "usage-since",}
                , t('DEEPSEEK_USAGE_SINCE', { time: formatTime(data.since, lang) })
                , partial ? ` ${t('DEEPSEEK_USAGE_PARTIAL', { reporting: data.podsReporting, total: data.podsTotal })}` : ''
              )
            ) : null
            , error && error.status === 404 ? (
              React.createElement(Muted, { 'data-testid': "usage-unavailable",}, t('DEEPSEEK_USAGE_UNAVAILABLE'))
            ) : error ? (
              React.createElement(ErrorPanel, { error: error, lang: lang, hints: false, title: t('DEEPSEEK_USAGE_FAILED'),} )
            ) : null
            , data && rows.length === 0 ? React.createElement(Muted, { 'data-testid': "usage-empty",}, t('DEEPSEEK_USAGE_EMPTY')) : null
            , rows.length ? (
              React.createElement(Table, { size: "small",}
                , React.createElement(TableHead, { hasBorder: true,}
                  , React.createElement(TableRow, null
                    , React.createElement(TableCell, { variant: "head",}, t('DEEPSEEK_USAGE_CALLER'))
                    , React.createElement(TableCell, { variant: "head", align: "right",}, t('DEEPSEEK_USAGE_REQUESTS'))
                    , React.createElement(TableCell, { variant: "head", align: "right",}, t('DEEPSEEK_USAGE_ERRORS'))
                    , React.createElement(TableCell, { variant: "head", align: "right",}, t('DEEPSEEK_USAGE_PROMPT'))
                    , React.createElement(TableCell, { variant: "head", align: "right",}, t('DEEPSEEK_USAGE_COMPLETION'))
                    , React.createElement(TableCell, { variant: "head",}, t('DEEPSEEK_MODELS'))
                  )
                )
                , React.createElement(TableBody, { hasBorder: true,}
                  , rows.map(row => (
                    React.createElement(TableRow, { key: row.caller,}
                      , React.createElement(TableCell, { 'data-testid': "usage-caller", 'data-caller': row.caller,}
                        , React.createElement(Tag, { color: row.kind === 'user' ? 'info' : 'default',}, t(`DEEPSEEK_USAGE_KIND_${row.kind}`)), " " , row.name
                      )
                      , React.createElement(TableCell, { align: "right", 'data-testid': "usage-requests",}, formatCount(row.requests))
                      , React.createElement(TableCell, { align: "right",}, formatCount(row.errors))
                      , React.createElement(TableCell, { align: "right",}, formatCount(row.promptTokens))
                      , React.createElement(TableCell, { align: "right",}, formatCount(row.completionTokens))
                      , React.createElement(TableCell, null
                        , row.models.map(name => (
                          React.createElement(Code, { key: name, style: { marginRight: 4 },}, name)
                        ))
                      )
                    )
                  ))
                )
              )
            ) : null
          )
        );
      }

      // How often the page asks again while it is open. The API caches cluster reads, and the model
      // manager records progress at most every 2 s, so faster polling would show nothing new.
      const POLL_SECONDS = 5;
      // Usage changes with traffic, not with the rollout: ask less often.
      const USAGE_POLL_SECONDS = 30;

      const Summary = styled(Card)`
  display: flex;
  align-items: flex-start;
  gap: 16px;
  .phase {
    font-size: 18px;
  }
  .message {
    font-size: 14px;
    margin: 4px 0;
  }
  .actions {
    margin-left: auto;
  }
`;

      const Stats = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 6px 20px;
  margin-top: 8px;
  strong {
    font-size: 14px;
  }
`;

      const FindingList = styled.ul`
  margin: 0;
  padding: 0;
`;

      function PhaseSummary({ status, lang, receivedAt, onRefresh, refreshing }) {
        const t = (key, params) => translate(lang, key, params);
        const phase = reportPhase(status);
        return (
          React.createElement(Summary, { 'data-testid': "phase",}
            , React.createElement('div', null
              , React.createElement(Muted, null, t('DEEPSEEK_PHASE'))
              , React.createElement('div', { className: "phase",}
                , React.createElement(StateDot, { value: phase, 'data-testid': "phase-label", 'data-phase': phase,}
                  , label(lang, 'DEEPSEEK_PHASE_', phase)
                )
              )
              , React.createElement('p', { className: "message", 'data-testid': "phase-message",}
                , React.createElement(CodeText, { text: pick(lang, status.message),} )
              )
              , React.createElement(Muted, null
                , t('DEEPSEEK_CHECKED_AT', { time: formatTime(status.checkedAt || receivedAt, lang) })
                , ' · '
                , t('DEEPSEEK_AUTO_REFRESH', { seconds: POLL_SECONDS })
              )
            )
            , React.createElement('div', { className: "actions",}
              , React.createElement(Button$1, { variant: "outline", size: "sm", onClick: onRefresh, disabled: refreshing,}
                , t('DEEPSEEK_REFRESH')
              )
            )
          )
        );
      }

      function Download({ progress, lang }) {
        const t = (key, params) => translate(lang, key, params);
        const hasTotal = typeof progress.totalBytes === 'number' && progress.totalBytes > 0;
        const eta =
          typeof progress.etaSeconds === 'number'
            ? t('DEEPSEEK_DOWNLOAD_ETA', { eta: formatDuration(progress.etaSeconds, lang) })
            : t('DEEPSEEK_DOWNLOAD_ETA_UNKNOWN');
        return (
          React.createElement(Card, { 'data-testid': "download",}
            , React.createElement(CardTitle, null, t('DEEPSEEK_DOWNLOAD_TITLE', { model: progress.model }))
            , React.createElement(ProgressBar, { percent: progress.percent, label: t('DEEPSEEK_DOWNLOAD_TITLE', { model: progress.model }),} )
            , React.createElement(Stats, null
              , React.createElement('strong', { 'data-testid': "download-percent",}, formatPercent(progress.percent || 0))
              , React.createElement('span', { 'data-testid': "download-bytes",}
                , hasTotal
                  ? t('DEEPSEEK_DOWNLOAD_BYTES', {
                      done: formatBytes(progress.completedBytes || 0),
                      total: formatBytes(progress.totalBytes),
                    })
                  : t('DEEPSEEK_DOWNLOAD_STARTING')
              )
              , typeof progress.bytesPerSecond === 'number' && progress.bytesPerSecond > 0 ? (
                React.createElement('span', { 'data-testid': "download-rate",}, t('DEEPSEEK_DOWNLOAD_RATE', { rate: formatBytes(progress.bytesPerSecond) }))
              ) : null
              , React.createElement('span', { 'data-testid': "download-eta",}, eta)
            )
          )
        );
      }

      function Components({ components, lang }) {
        const t = (key, params) => translate(lang, key, params);
        const quiet = component => {
          const said = quietComponent(component, components);
          const names = (said.components || []).map(name => label(lang, 'DEEPSEEK_COMPONENT_', name)).join(t('DEEPSEEK_LIST_SEPARATOR'));
          return t(said.key, { components: names });
        };
        return (
          React.createElement(Card, { 'data-testid': "components",}
            , React.createElement(CardTitle, null, t('DEEPSEEK_COMPONENTS'))
            , React.createElement(Table$1, null
              , React.createElement('tbody', null
                , components.map(component => {
                  const state = componentState(component);
                  return (
                    React.createElement('tr', { key: component.name, 'data-testid': `component-${component.name}`,}
                      , React.createElement('td', { style: { width: '22%' },}
                        , React.createElement('strong', null, label(lang, 'DEEPSEEK_COMPONENT_', component.name))
                      )
                      , React.createElement('td', { style: { width: '16%' },}
                        , React.createElement(StateDot, { value: state, 'data-testid': "component-state",}
                          , label(lang, 'DEEPSEEK_STATE_', state)
                        )
                      )
                      , React.createElement('td', null
                        , component.findings && component.findings.length ? (
                          React.createElement(FindingList, null
                            , component.findings.map((finding, index) => (
                              React.createElement(Finding, { key: `${finding.code}-${index}`, finding: finding, lang: lang,} )
                            ))
                          )
                        ) : (
                          React.createElement(Muted, { 'data-testid': "component-quiet",}, quiet(component))
                        )
                      )
                    )
                  );
                })
              )
            )
          )
        );
      }

      const EndpointRow = styled.div`
  display: flex;
  align-items: center;
  gap: 8px;
  margin: 6px 0;
  .label {
    width: 180px;
    flex: none;
    font-weight: 600;
  }
`;

      function Endpoints({ endpoints, lang }) {
        const t = key => translate(lang, key);
        const rows = ['ollama', 'openai'].map(key => ({ key, value: endpoints && endpoints[key] }));
        const chat = safeUrl(endpoints && endpoints.chat);
        return (
          React.createElement(Card, { 'data-testid': "endpoints",}
            , React.createElement(CardTitle, null, t('DEEPSEEK_ENDPOINTS'))
            , React.createElement(Hint, null, t('DEEPSEEK_ENDPOINTS_HINT'))
            , rows.map(({ key, value }) => (
              React.createElement(EndpointRow, { key: key, 'data-testid': `endpoint-${key}`,}
                , React.createElement('span', { className: "label",}, t(`DEEPSEEK_ENDPOINT_${key}`))
                , value ? React.createElement(Code, null, value) : React.createElement(Muted, null, t('DEEPSEEK_NOT_AVAILABLE'))
                , value ? React.createElement(CopyButton, { text: value, label: t('DEEPSEEK_COPY'), doneLabel: t('DEEPSEEK_COPIED'),} ) : null
              )
            ))
            , React.createElement(EndpointRow, { 'data-testid': "endpoint-chat",}
              , React.createElement('span', { className: "label",}, t('DEEPSEEK_ENDPOINT_chat'))
              , chat ? (
                React.createElement('a', { href: chat, target: "_blank", rel: "noopener noreferrer" , style: { color: colors.blue },}
                  , chat
                )
              ) : (
                React.createElement(Muted, null, t('DEEPSEEK_NOT_AVAILABLE'))
              )
            )
          )
        );
      }

      function StatusPage() {
        const lang = React.useMemo(detectLang, []);
        const { data, error, receivedAt, loading, refresh } = usePolling(fetchStatus, POLL_SECONDS * 1000);
        const admin = React.useMemo(() => isAdministrator(typeof window !== 'undefined' ? window.globals : null), []);
        const t = (key, params) => translate(lang, key, params);
        return (
          React.createElement('div', { 'data-testid': "status-page", 'data-admin': admin ? 'true' : 'false',}
            , error ? React.createElement(ErrorPanel, { error: error, lang: lang,} ) : null
            , error && data ? React.createElement(Hint, null, t('DEEPSEEK_STALE', { time: formatTime(receivedAt, lang) })) : null
            , !data && !error ? React.createElement(Card, null, t('DEEPSEEK_LOADING')) : null
            , !data && error ? (
              React.createElement(Button$1, { variant: "outline", size: "sm", onClick: refresh, disabled: loading,}
                , t('DEEPSEEK_REFRESH')
              )
            ) : null
            , data ? (
              React.createElement(React.Fragment, null
                , React.createElement(PhaseSummary, { status: data, lang: lang, receivedAt: receivedAt, onRefresh: refresh, refreshing: loading,} )
                , data.progress ? React.createElement(Download, { progress: data.progress, lang: lang,} ) : null
                , reportPhase(data) === 'Ready' ? React.createElement(ServingCard, { serving: data.serving, lang: lang,} ) : null
                , React.createElement(Components, { components: Array.isArray(data.components) ? data.components : [], lang: lang,} )
                , React.createElement(ModelsCard, {
                  models: Array.isArray(data.models) ? data.models : [],
                  lang: lang,
                  admin: admin,
                  pollMs: POLL_SECONDS * 1000,
                  onChanged: refresh,}
                )
                , React.createElement(UsageCard, { lang: lang, pollMs: USAGE_POLL_SECONDS * 1000,} )
                , React.createElement(Endpoints, { endpoints: data.endpoints || {}, lang: lang,} )
                , admin ? React.createElement(AccessCodeCard, { lang: lang,} ) : null
              )
            ) : null
          )
        );
      }

      // react-router v6 route objects, registered at the console's top level (no parentRoute).
      const routes = [
        {
          path: '/deepseek',
          element: React.createElement(Layout, null ),
          children: [
            { index: true, element: React.createElement(Navigate, { to: "/deepseek/status", replace: true,} ) },
            { path: 'status', element: React.createElement(StatusPage, null ) },
            { path: 'chat', element: React.createElement(ChatPage, null ) },
            { path: '*', element: React.createElement(Navigate, { to: "/deepseek/status", replace: true,} ) },
          ],
        },
      ];

      // Entry of the console bundle: ks-console System.imports it and reads the default export.

      const index = exports("default", { routes, menus, locales });

    })
  };
}));
