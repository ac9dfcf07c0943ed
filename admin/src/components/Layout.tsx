import { A, useLocation } from '@solidjs/router';
import { For, Show, createEffect, createSignal, on, onCleanup, onMount, type JSX, type ParentProps } from 'solid-js';
import { ROLE_SETS, SECTIONS } from '../nav.ts';
import { hasRole, logout, user } from '../session.ts';
import { lang, setLang, t } from '../i18n.ts';
import { Toasts } from './Toast.tsx';
import { pendingEscalations, startLive, stopLive } from '../live.ts';
import { openFailures, refreshOpenFailures } from '../lib/failures.ts';

export function Icon(props: { d: string }): JSX.Element {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true">
      <path d={props.d} />
    </svg>
  );
}

export function LangSwitch(): JSX.Element {
  return (
    <div class="lang-switch" role="group" aria-label="Language">
      <button type="button" classList={{ on: lang() === 'ru' }} onClick={() => setLang('ru')} data-testid="lang-ru">
        RU
      </button>
      <button type="button" classList={{ on: lang() === 'en' }} onClick={() => setLang('en')} data-testid="lang-en">
        EN
      </button>
    </div>
  );
}

/** sidebar (collapsible on phones) + top bar; the nav lists only what the user's role may open */
export function Layout(props: ParentProps): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const location = useLocation();
  onMount(() => {
    if (hasRole(ROLE_SETS.managers)) startLive();
  });
  onCleanup(stopLive);
  // failures have no live stream: their badge is counted again on every page an admin opens
  createEffect(
    on(
      () => location.pathname,
      () => {
        if (hasRole(ROLE_SETS.admins)) void refreshOpenFailures();
      },
    ),
  );
  const title = () => {
    const rel = location.pathname.replace(/^\/admin/, '').replace(/\/$/, '') || '/';
    const s = SECTIONS.find((x) => x.path === rel);
    return s ? t(s.label) : '';
  };
  return (
    <div class="shell" classList={{ 'nav-open': open() }}>
      <aside class="sidebar" aria-label={t('nav.menu')}>
        <div class="brand">
          <div class="brand-logo">Z</div>
          <div>
            ZETA<small>{t('app.subtitle')}</small>
          </div>
        </div>
        <nav class="nav" data-testid="nav">
          <For each={SECTIONS.filter((s) => hasRole(s.roles))}>
            {(s) => (
              <A
                href={s.path}
                end={s.path === '/'}
                activeClass="active"
                onClick={() => setOpen(false)}
                data-testid={`nav-${s.path === '/' ? 'dashboard' : s.path.slice(1)}`}
              >
                <Icon d={s.icon} />
                <span>{t(s.label)}</span>
                <Show when={s.path === '/escalations' && pendingEscalations() > 0}>
                  <span class="badge count">{pendingEscalations()}</span>
                </Show>
                <Show when={s.path === '/failures' && openFailures() > 0}>
                  <span class="badge count" data-testid="failures-count">
                    {openFailures()}
                  </span>
                </Show>
              </A>
            )}
          </For>
        </nav>
        <div class="sidebar-foot">
          <div class="who" data-testid="current-user">
            {user()?.name || user()?.email}
          </div>
          <div class="row" style={{ 'justify-content': 'space-between', 'margin-top': '4px' }}>
            <span class="badge info">{user() ? t(`role.${user()!.role}`) : ''}</span>
            <button
              class="btn ghost sm"
              style={{ color: '#c9cde0' }}
              data-testid="logout"
              onClick={async () => {
                await logout();
                window.location.assign(`${import.meta.env.BASE_URL}login`);
              }}
            >
              {t('auth.logout')}
            </button>
          </div>
        </div>
      </aside>
      <div class="backdrop" onClick={() => setOpen(false)} />
      <div class="main">
        <header class="topbar">
          <button
            class="icon-btn menu-toggle"
            aria-label={t('nav.menu')}
            data-testid="menu-toggle"
            onClick={() => setOpen(!open())}
          >
            <Icon d="M4 6h16M4 12h16M4 18h16" />
          </button>
          <strong>{title()}</strong>
          <div class="spacer" />
          <LangSwitch />
        </header>
        <main class="content">{props.children}</main>
      </div>
      <Toasts />
    </div>
  );
}
