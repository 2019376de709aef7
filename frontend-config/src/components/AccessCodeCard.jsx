import { Button } from '@kubed/components';
import * as React from 'react';

import { translate } from '../i18n.js';
import { fetchAccessCode } from '../statusApi.js';
import ErrorPanel from './ErrorPanel.jsx';
import { Card, CardTitle, Code, CopyButton, Hint } from './ui.jsx';

// NextChat's access code for administrators (GET accesscode, which only the "manage" role
// template grants): read when asked, shown with a copy button, hidden again on request and
// never kept after the page is left. Other users never see this card.
export default function AccessCodeCard({ lang }) {
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
    <Card data-testid="access-code-card">
      <CardTitle>{t('DEEPSEEK_ACCESS_CODE')}</CardTitle>
      <Hint>{t('DEEPSEEK_ACCESS_CODE_HINT')}</Hint>
      {data ? (
        <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
          <Code data-testid="access-code-value">{data.accessCode}</Code>
          <CopyButton text={data.accessCode || ''} label={t('DEEPSEEK_COPY')} doneLabel={t('DEEPSEEK_COPIED')} />
          <Button size="sm" variant="text" data-testid="access-code-hide" onClick={() => setState({ loading: false, data: null, error: null })}>
            {t('DEEPSEEK_ACCESS_CODE_HIDE')}
          </Button>
          {data.secret ? <Hint style={{ margin: 0 }}>{t('DEEPSEEK_ACCESS_CODE_SECRET', { secret: data.secret })}</Hint> : null}
        </div>
      ) : (
        <Button size="sm" variant="outline" data-testid="access-code-show" loading={loading} onClick={show}>
          {t('DEEPSEEK_ACCESS_CODE_SHOW')}
        </Button>
      )}
      {error ? <ErrorPanel error={error} lang={lang} hints={false} title={t('DEEPSEEK_ACCESS_CODE_FAILED')} /> : null}
    </Card>
  );
}
