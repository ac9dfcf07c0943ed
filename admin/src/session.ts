import { createSignal } from 'solid-js';
import { api, request, setUnauthorizedHandler } from './api/client.ts';
import type { Role, User } from './api/types.ts';

/**
 * Who is signed in. The tokens live in httpOnly cookies; the panel only keeps the user's
 * profile (name, role) to draw role-aware navigation. The API enforces roles regardless.
 */
const USER_KEY = 'zeta.user';

function savedUser(): User | undefined {
  try {
    const raw = sessionStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as User) : undefined;
  } catch {
    return undefined;
  }
}

const [user, setUserSignal] = createSignal<User | undefined>(savedUser());
const [checked, setChecked] = createSignal(false);
export { user, checked };

function setUser(next: User | undefined): void {
  setUserSignal(next);
  try {
    if (next) sessionStorage.setItem(USER_KEY, JSON.stringify(next));
    else sessionStorage.removeItem(USER_KEY);
  } catch {
    /* ignore */
  }
}

let goToLogin: () => void = () => {
  if (!location.pathname.endsWith('/login')) location.assign(`${import.meta.env.BASE_URL}login`);
};
export function setLoginRedirect(fn: () => void): void {
  goToLogin = fn;
}

setUnauthorizedHandler(() => {
  setUser(undefined);
  goToLogin();
});

export async function login(email: string, password: string): Promise<User> {
  const res = await request<{ accessToken: string; user: User }>('POST', '/auth/login', {
    body: { email, password },
    noRefresh: true,
  });
  setUser(res.user);
  setChecked(true);
  return res.user;
}

/** after registering from an invitation: the server already set the cookies */
export function acceptSession(next: User): void {
  setUser(next);
  setChecked(true);
}

export async function logout(): Promise<void> {
  try {
    await request('POST', '/auth/logout', { body: {}, noRefresh: true });
  } catch {
    /* the cookies expire anyway */
  }
  setUser(undefined);
}

/** asks the server who the cookies belong to (after a reload); a 401 goes through refresh */
export async function checkSession(): Promise<User | undefined> {
  try {
    const res = await api.get<{ user: User } | User>('/auth/me');
    const me = 'user' in res ? res.user : res;
    setUser(me);
    return me;
  } catch {
    setUser(undefined);
    return undefined;
  } finally {
    setChecked(true);
  }
}

export function hasRole(roles: readonly Role[] | 'anyone'): boolean {
  const u = user();
  if (!u) return false;
  return roles === 'anyone' || roles.includes(u.role);
}
