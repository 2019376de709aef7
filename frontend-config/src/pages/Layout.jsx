import * as React from 'react';
import { NavLink, Outlet } from 'react-router-dom';
import styled from 'styled-components';

import icon from 'virtual:icon';
import { detectLang, translate } from '../i18n.js';
import { colors } from '../theme.js';

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
export default function Layout() {
  const lang = React.useMemo(detectLang, []);
  const t = key => translate(lang, key);
  return (
    <Page lang={lang} data-testid="deepseek-page">
      <Header>
        <img src={icon} alt="" />
        <div>
          <h1>{t('DEEPSEEK_MENU_TITLE')}</h1>
          <p>{t('DEEPSEEK_SUBTITLE')}</p>
        </div>
        <Tabs>
          <Tab to="/deepseek/status">{t('DEEPSEEK_TAB_STATUS')}</Tab>
          <Tab to="/deepseek/chat">{t('DEEPSEEK_TAB_CHAT')}</Tab>
        </Tabs>
      </Header>
      <Outlet />
    </Page>
  );
}
