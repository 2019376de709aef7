/* DeepSeek for KubeSphere: console bundle, generated from frontend-config/ by scripts/build-bundle.sh. Do not edit.
 * sources-sha256: 36dbe49c193c98c70abe2a9526b4c6605a1f0b1d807b3a503056c1b3d901a1e1 */
System.register(['react', 'react-router-dom', 'styled-components'], (function (exports) {
  'use strict';
  var React, useState, useRef, useCallback, useEffect, NavLink, Outlet, Navigate, styled;
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
      Navigate = module.Navigate;
    }, module => {
      styled = module.default;
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
          return new ApiError({ status, message, code: body.code || body.reason || '', kind: 'http' });
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

      const Box = styled.div`
  border: 1px solid ${colors.red};
  border-left-width: 4px;
  background: #fff5f5;
  border-radius: 4px;
  padding: 12px 16px;
  margin-bottom: 12px;
  h2 {
    font-size: 14px;
    margin: 0 0 6px;
    color: ${colors.red};
  }
  p {
    margin: 4px 0;
  }
`;

      function hintKey(status) {
        if (status === 401) return 'DEEPSEEK_API_ERROR_HINT_401';
        if (status === 403) return 'DEEPSEEK_API_ERROR_HINT_403';
        if (status === 404) return 'DEEPSEEK_API_ERROR_HINT_404';
        if (status >= 500 || status === 0) return 'DEEPSEEK_API_ERROR_HINT_5XX';
        return null;
      }

      // What the API (or the console's proxy in front of it) said, as it said it: status code,
      // error code and message, plus what a person can do about that status.
      function ErrorPanel({ error, lang }) {
        const t = (key, params) => translate(lang, key, params);
        let detail;
        if (error.kind === 'network') detail = t('DEEPSEEK_API_ERROR_NETWORK', { message: pick(lang, error.apiMessage) });
        else if (error.kind === 'invalid') detail = t('DEEPSEEK_API_ERROR_INVALID');
        else detail = pick(lang, error.apiMessage);
        const hint = hintKey(error.status);
        return (
          React.createElement(Box, { role: "alert", 'data-testid': "api-error",}
            , React.createElement('h2', null
              , t('DEEPSEEK_API_ERROR_TITLE')
              , error.status ? ` (${t('DEEPSEEK_API_ERROR_STATUS', { status: error.status })}${error.code ? `, ${error.code}` : ''})` : ''
            )
            , detail ? React.createElement('p', null, detail) : null
            , hint ? React.createElement('p', null, t(hint)) : null
          )
        );
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

      const BadgeBox = styled.span`
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

      // A coloured dot and a word: the colour repeats what the word says, never replaces it.
      function Badge({ color, children, ...rest }) {
        return (
          React.createElement(BadgeBox, { color: color, ...rest,}
            , children
          )
        );
      }

      const Code = styled.code`
  font-family: Monaco, Menlo, Consolas, 'Courier New', monospace;
  font-size: 12px;
  background: ${colors.code};
  border-radius: 3px;
  padding: 2px 6px;
  word-break: break-all;
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

      const Table = styled.table`
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

      const Item = styled.li`
  list-style: none;
  border-left: 3px solid ${props => props.color};
  background: ${colors.background};
  padding: 8px 12px;
  margin: 8px 0 0;
  p {
    margin: 4px 0;
  }
`;

      const Label = styled.strong`
  margin-right: 6px;
`;

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

      // One finding: what is wrong (in the user's language), the evidence, and how to fix it.
      function Finding({ finding, lang }) {
        const t = key => translate(lang, key);
        const severity = finding.severity || 'info';
        const evidence = evidenceText(finding.evidence);
        const fix = pick(lang, finding.fix);
        return (
          React.createElement(Item, { color: tone(severity), 'data-testid': "finding", 'data-code': finding.code,}
            , React.createElement('p', null
              , React.createElement(Badge, { color: tone(severity),}, label(lang, 'DEEPSEEK_SEVERITY_', severity)), ' '
              , React.createElement('span', null, pick(lang, finding.message))
            )
            , fix ? (
              React.createElement('p', { 'data-testid': "finding-fix",}
                , React.createElement(Label, null, t('DEEPSEEK_FIX'), ":")
                , fix
              )
            ) : null
            , evidence ? (
              React.createElement('p', null
                , React.createElement(Label, null, t('DEEPSEEK_EVIDENCE'), ":")
                , React.createElement(Code, null, evidence)
              )
            ) : null
            , finding.path ? (
              React.createElement('p', null
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

      // How often the page asks again while it is open. The API caches cluster reads, and the model
      // manager records progress at most every 2 s, so faster polling would show nothing new.
      const POLL_SECONDS = 5;

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
        return (
          React.createElement(Summary, { 'data-testid': "phase",}
            , React.createElement('div', null
              , React.createElement(Muted, null, t('DEEPSEEK_PHASE'))
              , React.createElement('div', { className: "phase",}
                , React.createElement(Badge, { color: tone(status.phase), 'data-testid': "phase-label", 'data-phase': status.phase,}
                  , label(lang, 'DEEPSEEK_PHASE_', status.phase)
                )
              )
              , React.createElement('p', { className: "message", 'data-testid': "phase-message",}
                , pick(lang, status.message)
              )
              , React.createElement(Muted, null
                , t('DEEPSEEK_CHECKED_AT', { time: formatTime(status.checkedAt || receivedAt, lang) })
                , ' · '
                , t('DEEPSEEK_AUTO_REFRESH', { seconds: POLL_SECONDS })
              )
            )
            , React.createElement('div', { className: "actions",}
              , React.createElement(Button, { type: "button", onClick: onRefresh, disabled: refreshing,}
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
        const t = key => translate(lang, key);
        return (
          React.createElement(Card, { 'data-testid': "components",}
            , React.createElement(CardTitle, null, t('DEEPSEEK_COMPONENTS'))
            , React.createElement(Table, null
              , React.createElement('tbody', null
                , components.map(component => (
                  React.createElement('tr', { key: component.name, 'data-testid': `component-${component.name}`,}
                    , React.createElement('td', { style: { width: '22%' },}
                      , React.createElement('strong', null, label(lang, 'DEEPSEEK_COMPONENT_', component.name))
                    )
                    , React.createElement('td', { style: { width: '16%' },}
                      , React.createElement(Badge, { color: tone(component.state),}, label(lang, 'DEEPSEEK_STATE_', component.state))
                    )
                    , React.createElement('td', null
                      , component.findings && component.findings.length ? (
                        React.createElement(FindingList, null
                          , component.findings.map((finding, index) => (
                            React.createElement(Finding, { key: `${finding.code}-${index}`, finding: finding, lang: lang,} )
                          ))
                        )
                      ) : (
                        React.createElement(Muted, null, t('DEEPSEEK_NO_FINDINGS'))
                      )
                    )
                  )
                ))
              )
            )
          )
        );
      }

      function Models({ models, lang }) {
        const t = key => translate(lang, key);
        return (
          React.createElement(Card, { 'data-testid': "models",}
            , React.createElement(CardTitle, null, t('DEEPSEEK_MODELS'))
            , models.length === 0 ? (
              React.createElement(Muted, null, t('DEEPSEEK_NO_MODELS'))
            ) : (
              React.createElement(Table, null
                , React.createElement('thead', null
                  , React.createElement('tr', null
                    , React.createElement('th', null, t('DEEPSEEK_MODEL_NAME'))
                    , React.createElement('th', null, t('DEEPSEEK_MODEL_STATE'))
                    , React.createElement('th', null, t('DEEPSEEK_MODEL_SIZE'))
                    , React.createElement('th', null, t('DEEPSEEK_MODEL_VRAM'))
                  )
                )
                , React.createElement('tbody', null
                  , models.map(model => (
                    React.createElement('tr', { key: model.name, 'data-testid': "model-row",}
                      , React.createElement('td', null
                        , React.createElement(Code, null, model.name)
                      )
                      , React.createElement('td', null
                        , React.createElement(Badge, { color: tone(model.state),}, label(lang, 'DEEPSEEK_MODEL_', model.state))
                        , model.progress && typeof model.progress.percent === 'number' ? (
                          React.createElement(Muted, null, " " , formatPercent(model.progress.percent))
                        ) : null
                      )
                      , React.createElement('td', null, model.sizeBytes ? formatBytes(model.sizeBytes) : React.createElement(Muted, null, "–"))
                      , React.createElement('td', null, model.sizeVramBytes ? formatBytes(model.sizeVramBytes) : React.createElement(Muted, null, "–"))
                    )
                  ))
                )
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
        const t = (key, params) => translate(lang, key, params);
        return (
          React.createElement('div', { 'data-testid': "status-page",}
            , error ? React.createElement(ErrorPanel, { error: error, lang: lang,} ) : null
            , error && data ? React.createElement(Hint, null, t('DEEPSEEK_STALE', { time: formatTime(receivedAt, lang) })) : null
            , !data && !error ? React.createElement(Card, null, t('DEEPSEEK_LOADING')) : null
            , !data && error ? (
              React.createElement(Button, { type: "button", onClick: refresh, disabled: loading,}
                , t('DEEPSEEK_REFRESH')
              )
            ) : null
            , data ? (
              React.createElement(React.Fragment, null
                , React.createElement(PhaseSummary, { status: data, lang: lang, receivedAt: receivedAt, onRefresh: refresh, refreshing: loading,} )
                , data.progress ? React.createElement(Download, { progress: data.progress, lang: lang,} ) : null
                , React.createElement(Components, { components: Array.isArray(data.components) ? data.components : [], lang: lang,} )
                , React.createElement(Models, { models: Array.isArray(data.models) ? data.models : [], lang: lang,} )
                , React.createElement(Endpoints, { endpoints: data.endpoints || {}, lang: lang,} )
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
