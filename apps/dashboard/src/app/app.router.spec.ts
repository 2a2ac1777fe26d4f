import { parseRoute, routeHref } from './app.router';

describe('hash routes', () => {
  it('parses page, id and params, falling back to the overview', () => {
    expect(parseRoute('')).toEqual({ page: 'overview', id: null, params: {} });
    expect(parseRoute('#/alerts/abc123?class=smurf')).toEqual({ page: 'alerts', id: 'abc123', params: { class: 'smurf' } });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'overview', id: null, params: {} });
  });

  it('round-trips with routeHref, dropping empty params', () => {
    const href = routeHref('alerts', null, { sourceIp: '10.0.0.1', class: '' });
    expect(href).toBe('#/alerts?sourceIp=10.0.0.1');
    expect(parseRoute(href)).toEqual({ page: 'alerts', id: null, params: { sourceIp: '10.0.0.1' } });
    expect(parseRoute(routeHref('decisions', 'a/b'))).toMatchObject({ page: 'decisions', id: 'a/b' });
  });
});
