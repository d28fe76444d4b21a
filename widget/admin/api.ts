/** A refused back-office call: its status, message and problems, as the server said them. */
export class AdminError extends Error {
  constructor(readonly status: number, message: string, readonly problems: string[] = []) {
    super(message);
  }
}

export interface Me {
  staff: { id: string; email: string; name: string; roles: Record<string, 'administrator' | 'agent' | 'readonly'> };
  csrf_token: string;
}

/**
 * The back office's client of `/admin/api`: same-origin calls with the session cookie, and the session's
 * CSRF token on every change. A 401 means the session is over: `onLoggedOut` is told.
 */
export function createAdminApi(onLoggedOut: () => void, base = new URL('/admin/api/', location.href).href) {
  let csrf = '';
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method, credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', ...(csrf && method !== 'GET' ? { 'X-CSRF-Token': csrf } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new AdminError(0, 'network');
    }
    const data = res.status === 204 ? null : ((await res.json().catch(() => null)) as { error?: { message: string; problems?: string[] } } | null);
    if (res.status === 401 && path !== 'session') onLoggedOut();
    if (!res.ok) throw new AdminError(res.status, data?.error?.message ?? res.statusText, data?.error?.problems ?? []);
    return data as T;
  }
  const remember = (me: Me) => ((csrf = me.csrf_token), me);
  return {
    login: async (email: string, password: string) => remember(await call<Me>('POST', 'session', { email, password })),
    me: async () => remember(await call<Me>('GET', 'session')),
    logout: () => call<null>('DELETE', 'session').finally(() => (csrf = '')),
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
    put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
  };
}

export type AdminApi = ReturnType<typeof createAdminApi>;
