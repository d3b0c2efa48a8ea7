// Tiny fetch wrapper for /api/v1: bearer token, device id, problem+json errors.

const BASE = '/api/v1';
const TOKEN_KEY = 'quanyu.token';
const DEVICE_KEY = 'quanyu.device';

export interface FieldProblem { field: string; message: string }

export interface Problem {
  type?: string; title?: string; status?: number; code?: string; detail?: string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  constructor(public status: number, public problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
  }
  get code(): string | undefined { return this.problem.code; }
  /** The message for one field, matching "address.phone", "/address/phone", "body.address.phone"... */
  fieldMessage(field: string): string | undefined {
    return this.problem.errors?.find((e) => normalizeField(e.field) === field)?.message;
  }
}

export function normalizeField(field: string): string {
  return field
    .replace(/^\/?body[./]?/, '')
    .replace(/^\//, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\//g, '.');
}

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

function deviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

export interface RequestOptions { idempotencyKey?: string; signal?: AbortSignal }

/** The headers every call carries: the device id, and the bearer token when signed in. */
export function authHeaders(): Record<string, string> {
  const headers: Record<string, string> = { 'X-Device-Id': deviceId() };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method, headers, signal: opts.signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error', code: 'network', detail: String((e as Error).message) });
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { detail: text }; }
  }
  if (!res.ok) {
    const p = (data && typeof data === 'object' ? data : {}) as Problem;
    throw new ApiError(res.status, { ...p, status: p.status ?? res.status, title: p.title ?? res.statusText });
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/** Fetches a file with the caller's credentials and saves it (the name from Content-Disposition when given). */
export async function download(path: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(BASE + path, { headers: authHeaders() });
  } catch (e) {
    throw new ApiError(0, { title: 'Network error', code: 'network', detail: String((e as Error).message) });
  }
  if (!res.ok) {
    const p = (await res.json().catch(() => ({}))) as Problem;
    throw new ApiError(res.status, { ...p, status: p.status ?? res.status, title: p.title ?? res.statusText });
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName(res.headers.get('Content-Disposition')) ?? fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The file name of a Content-Disposition header: `filename*=UTF-8''…` (RFC 5987) first, else `filename="…"`. */
function fileName(disposition: string | null): string | undefined {
  const encoded = disposition && /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) {
    try { return decodeURIComponent(encoded[1]); } catch { /* fall back to the plain name */ }
  }
  return (disposition && /filename="?([^";]+)"?/i.exec(disposition)?.[1]) || undefined;
}

/** Builds "?a=1&b=2" from the defined, non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}


