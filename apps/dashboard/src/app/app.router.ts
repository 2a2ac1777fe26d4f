// Hash routes (`#/alerts/<id>`): the gateway serves one index.html, and a hash never reaches
// the server, so deep links work behind any proxy.

export type Page = 'overview' | 'alerts' | 'decisions' | 'models' | 'upload';
export const PAGES: readonly { page: Page; label: string }[] = [
  { page: 'overview', label: 'Overview' },
  { page: 'alerts', label: 'Alerts' },
  { page: 'decisions', label: 'Decisions' },
  { page: 'models', label: 'Models' },
  { page: 'upload', label: 'Upload' },
];

export interface Route { page: Page; id: string | null; params: Record<string, string> }

export function parseRoute(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [first = '', ...rest] = path.split('/').filter((s) => s !== '');
  const page = PAGES.some((p) => p.page === first) ? (first as Page) : 'overview';
  const params = Object.fromEntries(new URLSearchParams(search));
  return { page, id: rest.length > 0 ? decodeURIComponent(rest.join('/')) : null, params };
}

export function routeHref(page: Page, id?: string | null, params: Record<string, string> = {}): string {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString();
  return `#/${page}${id ? `/${encodeURIComponent(id)}` : ''}${search ? `?${search}` : ''}`;
}
