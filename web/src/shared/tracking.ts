// Behaviour tracking: events wait in a queue and go to POST /api/v1/events in batches (every 2 s, at 20 events,
// and when the page is hidden). The arrival channel and campaign of a tracked landing URL (?ch=douyin&cmp=618)
// are kept for the browser session and sent on every event. Tracking never breaks the page: failures are dropped.
import { authHeaders } from './api';

export interface TrackEvent {
  type: 'view' | 'click' | 'search' | 'cart' | 'share' | 'content_view';
  productId?: string;
  query?: string;
  results?: number;
  position?: number;
  contentId?: string;
  page?: string;
  at?: string;
}

interface Arrival { channel: string; campaign?: string }

const ENDPOINT = '/api/v1/events';
const ARRIVAL_KEY = 'quanyu.arrival';
const CHANNEL_RE = /^[a-z0-9_-]{1,32}$/;
const FLUSH_MS = 2000;
const BATCH = 20;
const MAX_PAGE = 300;
const MAX_QUERY = 200;

let queue: (TrackEvent & Partial<Arrival>)[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
let lastView = '';
let lastSearch = '';

/** `?ch=douyin&cmp=618` -> {channel, campaign}; null without a valid channel (a bad campaign is left out). */
function parseArrival(search: string): Arrival | null {
  const sp = new URLSearchParams(search);
  const channel = sp.get('ch') ?? '';
  const campaign = sp.get('cmp') ?? '';
  if (!CHANNEL_RE.test(channel)) return null;
  return campaign && campaign.length <= 64 ? { channel, campaign } : { channel };
}

function storedArrival(): Arrival | null {
  try {
    const raw = sessionStorage.getItem(ARRIVAL_KEY);
    return raw ? (JSON.parse(raw) as Arrival) : null;
  } catch {
    return null;
  }
}

function rememberLanding(): void {
  const arrival = parseArrival(location.search);
  if (!arrival) return;
  try { sessionStorage.setItem(ARRIVAL_KEY, JSON.stringify(arrival)); } catch { /* storage off: nothing to keep */ }
}

export function track(e: TrackEvent): void {
  queue.push({ ...e, ...storedArrival() });
  // A content view goes at once with the time it happened: an order placed right after it is attributed to it.
  if (queue.length >= BATCH || e.type === 'content_view') flush();
  else timer ??= setTimeout(flush, FLUSH_MS);
}

/** A page or product view; the same page twice in a row (a re-render, StrictMode) counts once. */
export function trackView(page: string, productId?: string): void {
  if (page === lastView) return;
  lastView = page;
  track({ type: 'view', page: readable(page).slice(0, MAX_PAGE), ...(productId ? { productId } : {}) });
}

/** "/search?q=%E5%8F%A3%E7%BA%A2" -> "/search?q=口红" (reserved characters such as %26 stay encoded). */
function readable(page: string): string {
  try { return decodeURI(page); } catch { return page; }
}

/** A search with the number of results; coming back to the same results (paging, the back button) is not a new one. */
export function trackSearch(query: string, results: number): void {
  if (query === lastSearch) return;
  lastSearch = query;
  track({ type: 'search', query: query.slice(0, MAX_QUERY), results });
}

/** A click on a result: 1-based position, and the query when there is one. */
export function trackClick(productId: string, position: number, query: string): void {
  track({ type: 'click', productId, position, ...(query ? { query: query.slice(0, MAX_QUERY) } : {}) });
}

function flush(): void {
  clearTimeout(timer);
  timer = undefined;
  if (queue.length === 0) return;
  const events = queue;
  queue = [];
  // keepalive lets the last batch leave while the page unloads. The answer is not read: a batch refused (400) or lost is dropped.
  fetch(ENDPOINT, {
    method: 'POST',
    keepalive: true,
    headers: { 'Content-Type': 'application/json', ...authHeaders() },
    body: JSON.stringify({ events }),
  }).catch(() => undefined);
}

rememberLanding();
window.addEventListener('pagehide', flush);
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush(); });
