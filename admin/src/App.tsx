import { Route, Router, useNavigate } from '@solidjs/router';
import { Show, lazy, onMount, type JSX, type ParentProps } from 'solid-js';
import { Layout } from './components/Layout.tsx';
import { checkSession, checked, setLoginRedirect, user } from './session.ts';
import { LoginPage } from './pages/Login.tsx';
import { RegisterPage } from './pages/Register.tsx';
import { DashboardPage } from './pages/Dashboard.tsx';
import { t } from './i18n.ts';

const ProductsPage = lazy(() => import('./pages/Products.tsx'));
const CitiesPage = lazy(() => import('./pages/Cities.tsx'));
const CatalogPage = lazy(() => import('./pages/Catalog.tsx'));
const BotsPage = lazy(() => import('./pages/Bots.tsx'));
const ScenariosPage = lazy(() => import('./pages/Scenarios.tsx'));
const EscalationsPage = lazy(() => import('./pages/Escalations.tsx'));
const LeadsPage = lazy(() => import('./pages/Leads.tsx'));
const OrdersPage = lazy(() => import('./pages/Orders.tsx'));
const PlaygroundPage = lazy(() => import('./pages/Playground.tsx'));
const UsersPage = lazy(() => import('./pages/Users.tsx'));
const AuditPage = lazy(() => import('./pages/Audit.tsx'));
const FailuresPage = lazy(() => import('./pages/Failures.tsx'));
const ApiTokensPage = lazy(() => import('./pages/ApiTokens.tsx'));

/** every page but login: checks the session once, then draws the shell */
function Protected(props: ParentProps): JSX.Element {
  const navigate = useNavigate();
  setLoginRedirect(() => navigate('/login', { replace: true }));
  onMount(async () => {
    if (!checked()) {
      const me = await checkSession();
      if (!me) navigate('/login', { replace: true });
    }
  });
  return (
    <Show when={user()} fallback={<div class="empty">{t('common.loading')}</div>}>
      <Layout>{props.children}</Layout>
    </Show>
  );
}

export function App(): JSX.Element {
  const base = import.meta.env.BASE_URL.replace(/\/$/, '');
  return (
    <Router base={base}>
      <Route path="/login" component={LoginPage} />
      <Route path="/register" component={RegisterPage} />
      <Route path="/" component={Protected}>
        <Route path="/" component={DashboardPage} />
        <Route path="/products" component={ProductsPage} />
        <Route path="/catalog" component={CatalogPage} />
        <Route path="/cities" component={CitiesPage} />
        <Route path="/bots" component={BotsPage} />
        <Route path="/scenarios" component={ScenariosPage} />
        <Route path="/escalations" component={EscalationsPage} />
        <Route path="/leads" component={LeadsPage} />
        <Route path="/orders" component={OrdersPage} />
        <Route path="/playground" component={PlaygroundPage} />
        <Route path="/users" component={UsersPage} />
        <Route path="/audit" component={AuditPage} />
        <Route path="/failures" component={FailuresPage} />
        <Route path="/api-tokens" component={ApiTokensPage} />
        <Route path="*" component={DashboardPage} />
      </Route>
    </Router>
  );
}
