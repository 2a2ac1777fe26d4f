// The dashboard in a real browser (Debian's Chromium via playwright-core) against the gateway
// and the real pipeline: ingestion, detection (following the registry), classification,
// self-healing and the model registry as real processes. Sign in, upload a committed real CSV
// and watch the bar finish and alerts arrive without a reload, open an alert, revoke a
// decision, upload the shipped detector as a new version, promote it and see its rollout complete; a revoked key lands back on
// the login page with a clear message. Screenshots of each page go to tmp/dashboard-screenshots/;
// any console error fails the test.
import { DEFAULT_DATABASE_URL, serviceSchemaName } from '@vigil/config';
import { CONTRACT_SAMPLES, contractSamplePath, getContract, parseApiKey } from '@vigil/contracts';
import { createDataSource } from '@vigil/database';
import path from 'node:path';
import { expectEventually, repoRoot, startMigratedService } from '@vigil/testing';
import { type Page } from 'playwright-core';
import { type Browser, ensureDashboardBuilt, openBrowser, screenshot, signIn } from './dashboard.fixture';
import { type Gateway, startGateway } from './gateway.fixture';
import { type SwapPipeline, openSwapPipeline } from './model-swap.fixture';

const NSL = 'threat-detector-nsl-kdd';
// Budgets for a loaded CI box (2 jest workers beside other e2e suites on 2 cores), where a step
// takes several times what it does on an idle one; each wait inside has its own deadline.
const STEP_MS = 45_000;
const PIPELINE_STEP_MS = 120_000;

describe('dashboard in a real browser', () => {
  let p: SwapPipeline;
  let g: Gateway;
  let browser: Browser;
  let page: Page;
  const api = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${g.url}${path}`, { ...init, headers: { 'content-type': 'application/json', 'x-api-key': init.key ?? g.keys.admin, ...(init.headers ?? {}) } });

  beforeAll(async () => {
    ensureDashboardBuilt();
    p = await openSwapPipeline();
    for (const contract of ['nsl-kdd', 'cicflowmeter'] as const) {
      const v1 = await p.uploadDetector(contract, 1);
      await p.registry.setAlias({ name: v1.name, alias: 'production', version: v1.version, actor: 'e2e' });
    }
    const urls: string[] = [];
    for (const app of ['ingestion', 'detection', 'classification'] as const) {
      // Drift monitoring is not what this test watches (and DRIFT=on fails stage start-up at the moment: see the report).
      const s = await p.start(app, app === 'detection' ? { MODEL_SOURCE: 'registry', SERVICE_INSTANCE: 'detection-a', DRIFT: 'off' } : { DRIFT: 'off' });
      urls.push(`${app}=${s.service.url}`);
    }
    const healing = await startMigratedService({ app: 'self-healing', env: { PIPELINE_PREFIX: p.topology.prefix, LOG_LEVEL: 'warn' } });
    p.services.push(healing);
    await expectEventually(async () => expect((await fetch(`${healing.service.url}/readyz`)).status).toBe(200), { timeoutMs: 20_000 });
    const registry = p.services.find((s) => s.schema.endsWith('model_registry'));
    urls.push(`self-healing=${healing.service.url}`, `model-registry=${registry?.service.url ?? ''}`);
    g = await startGateway(p, { GATEWAY_SERVICE_URLS: urls.join(','), GATEWAY_KEY_CACHE_MS: '0' });
    await p.awaitServing({ contract: 'nsl-kdd', alias: 'production', version: 1, replicas: 1 });
    browser = await openBrowser();
    page = await browser.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  // Per test: an error expected by one test (expectErrors) is never allowed in another.
  afterEach(() => expect(browser?.takeUnexpectedErrors() ?? []).toEqual([]));

  it('signs in with a key and shows the overview with live pipeline health', async () => {
    await page.goto(g.url);
    await screenshot(page, '01-login');
    await page.getByLabel('API key').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That is not a Vigil API key').waitFor();
    await signIn(page, g.url, g.keys.admin);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByText('e2e-admin').waitFor();
    const health = page.getByRole('list', { name: 'Services' });
    await expectEventually(async () => expect(await health.getByText('ready', { exact: true }).count()).toBe(5), { timeoutMs: 15_000 });
    await page.getByText('Simulation mode is on.').waitFor();
  }, STEP_MS);

  it('uploads a committed real CSV: the bar finishes and alerts reach an open alerts tab without a reload', async () => {
    const watcher = await browser.newPage();
    await signIn(watcher, `${g.url}/#/alerts`, g.keys.viewer);
    await watcher.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Upload' }).click();
    await page.locator('input[type=file][name=file]').setInputFiles(contractSamplePath(CONTRACT_SAMPLES.nslKdd));
    const bar = page.getByRole('progressbar', { name: 'Upload progress' });
    await expectEventually(async () => expect(await bar.getAttribute('aria-valuenow')).toBe('100'), { timeoutMs: 90_000, intervalMs: 100 });
    await page.getByText('Completed').first().waitFor();
    const threats = Number((await page.getByTestId('job-summary').locator('.stat', { hasText: 'threats' }).locator('.stat-value').textContent())?.replace(/,/g, ''));
    expect(threats).toBeGreaterThan(0);
    await screenshot(page, '02-upload');
    // The watcher tab never reloaded: its live feed counted the new alerts.
    const fresh = watcher.getByRole('button', { name: /^Show \d+ new$/ });
    await fresh.waitFor();
    await fresh.click();
    await expectEventually(async () => expect(await watcher.getByTestId('alerts-table').locator('tbody tr').count()).toBeGreaterThan(0));
    await screenshot(watcher, '03-alerts');
    await watcher.close();
  }, PIPELINE_STEP_MS);

  it('opens an alert: its flow, features and each model with its version', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await page.getByTestId('alerts-table').locator('tbody tr a').first().click();
    const outputs = page.getByTestId('model-outputs');
    await outputs.waitFor();
    await expect(outputs.locator('tbody tr').first().textContent()).resolves.toContain(`${NSL}v1`);
    await expect(outputs.locator('tbody tr').nth(1).textContent()).resolves.toMatch(/attack-classifier-nsl-kdd/);
    await page.getByRole('heading', { name: 'Features', exact: true }).waitFor();
    // Every feature value of the flow (the 41 NSL-KDD features, categorical ones as words), and why the classifier said so.
    const features = page.getByTestId('features');
    await features.waitFor();
    expect(await features.locator('dt').count()).toBe(getContract('nsl-kdd').features.length);
    expect(await features.locator('dt').first().textContent()).toBe('duration');
    expect(await page.getByTestId('explanation').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('envelope').locator('dt').count()).toBeGreaterThan(0);
    await screenshot(page, '04-alert-detail');
  }, STEP_MS);

  it('revokes a decision from the decisions page', async () => {
    const created = await (await api('/api/v1/decisions', { method: 'POST', key: g.keys.operator, body: JSON.stringify({ value: '198.51.100.77', action: 'ban', durationSeconds: 3600, reason: 'e2e manual ban' }) })).json() as { id: string; status: string };
    expect(created.status).toBe('simulated');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Decisions' }).click();
    await page.getByRole('tab', { name: 'Simulated' }).click();
    const revoke = page.getByRole('button', { name: 'revoke decision on 198.51.100.77' });
    await revoke.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await revoke.waitFor({ state: 'detached' });
    const after = await (await api(`/api/v1/decisions/${created.id}`)).json() as { decision: { status: string }; audit: { actor: string }[] };
    expect(after.decision.status).toBe('revoked');
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByTestId('decisions-table').getByText('198.51.100.77').waitFor();
    await screenshot(page, '05-decisions');
  }, STEP_MS);

  it('uploads the shipped detector as a new version, promotes it, and shows the rollout complete with its metrics', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' }).click();
    const shipped = path.join(repoRoot(), 'models', NSL, '1');
    await page.getByLabel('Manifest (JSON)').setInputFiles(path.join(shipped, 'manifest.json'));
    await page.getByLabel('Model (ONNX)').setInputFiles(path.join(shipped, 'model.onnx'));
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText(`${NSL} v2 uploaded and validated.`).waitFor({ timeout: 30_000 });
    const card = page.getByRole('region', { name: NSL });
    await card.getByRole('button', { name: /Versions/ }).click();
    await card.getByRole('button', { name: 'Promote v2 to production' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Move' }).click();
    const production = card.getByTestId(`rollout-${NSL}-production`);
    await expectEventually(async () => expect(await production.textContent()).toMatch(/→ v2 serving on 1\/1 replicas/), { timeoutMs: 40_000, intervalMs: 200 });
    expect(await card.getByTestId('per-class').locator('tbody tr').count()).toBe(2);
    expect(await card.locator('table.heat-map tbody td').count()).toBe(4);
    await screenshot(page, '06-models');
  }, PIPELINE_STEP_MS);

  it('the overview charts the upload; a revoked key is sent back to sign in with a clear message', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('img', { name: /Flows and threats per second/ }).waitFor();
    await screenshot(page, '07-overview');
    const tab = await browser.newPage();
    await signIn(tab, g.url, g.keys.viewer);
    // Chromium logs every refused request as a console error: the tab's API calls answered 401 after
    // the revocation are this step's point; anything else (another page, another status) still fails.
    const revokedAt = Date.now();
    browser.expectErrors((e) => e.page === tab && e.at >= revokedAt && /status of 401 \(Unauthorized\)/.test(e.text) && e.resourceUrl.startsWith(`${g.url}/api/`));
    const db = createDataSource({ url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, schema: serviceSchemaName('gateway', g.service.schemaPrefix), poolSize: 1 });
    await db.initialize();
    await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [parseApiKey(g.keys.viewer)?.id]);
    await db.destroy();
    // The overview's polls or the live feed may meet the revocation first and sign out before any
    // click, so open the alerts page by its deep link (a hash change, not the nav, which may be gone):
    // either way a call is refused and the tab lands on sign-in with the message.
    await tab.goto(`${g.url}/#/alerts`);
    await tab.getByText('Your API key was refused by the gateway').waitFor().catch(async (err: unknown) => {
      await screenshot(tab, '08-revoked-key-failed');
      throw err;
    });
    await tab.getByLabel('API key').waitFor();
    await screenshot(tab, '08-revoked-key');
    await tab.close();
  }, STEP_MS);
});
