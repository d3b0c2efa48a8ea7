// The signed-in user: token in localStorage, user from GET /me.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, getToken, setToken } from './api';
import type { User } from './types';

interface AuthState {
  user: User | null;
  ready: boolean;
  signIn: (token: string, user: User) => void;
  signOut: () => void;
}

const AuthContext = createContext<AuthState>({ user: null, ready: false, signIn: () => {}, signOut: () => {} });

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [ready, setReady] = useState(!getToken());

  useEffect(() => {
    if (!getToken()) return;
    api.get<User>('/me')
      .then(setUser)
      .catch((e) => { if (e instanceof ApiError && e.status === 401) setToken(null); })
      .finally(() => setReady(true));
  }, []);

  const signIn = useCallback((token: string, u: User) => { setToken(token); setUser(u); setReady(true); }, []);
  const signOut = useCallback(() => { setToken(null); setUser(null); }, []);

  return <AuthContext.Provider value={{ user, ready, signIn, signOut }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  return useContext(AuthContext);
}

/** Merchant ids from roles such as "merchant:m_123". */
export function merchantIds(user: User | null): string[] {
  return (user?.roles ?? []).filter((r) => r.startsWith('merchant:')).map((r) => r.slice('merchant:'.length));
}

export function isOperator(user: User | null): boolean {
  return !!user?.roles.includes('operator');
}
