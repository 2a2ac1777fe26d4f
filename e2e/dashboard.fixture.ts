// Shared by the dashboard browser e2e: a fresh dashboard bundle, Debian's Chromium through
// playwright-core with a fresh profile, console-error collection, and screenshots as artifacts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { repoRoot } from '@vigil/testing';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(repoRoot(), 'tmp', 'dashboard-screenshots');

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => {
    const p = path.join(dir, e.name);
    return Math.max(n, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
}

/** Rebuilds the bundle when a dashboard source (.tsx and .css included) is newer than it. */
export function ensureDashboardBuilt(): void {
  const root = repoRoot();
  const index = path.join(root, 'dist', 'apps', 'dashboard', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(path.join(root, 'apps', 'dashboard', 'src'))) return;
  execFileSync(process.execPath, [path.join(root, 'tools', 'build-dashboard.js')], { cwd: root, stdio: 'ignore' });
}

/** A console error or uncaught error of one page; resourceUrl names the failed load, when there is one. */
export interface BrowserError {
  page: Page;
  pageUrl: string;
  text: string;
  resourceUrl: string;
  at: number;
}

export interface Browser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  /** Declares errors the running test provokes on purpose (e.g. the 401 of a revoked key). */
  expectErrors(matches: (e: BrowserError) => boolean): void;
  /** The errors since the last call that no expectErrors allowed, as `<page url>: <text>`; clears both. */
  takeUnexpectedErrors(): string[];
  close(): Promise<void>;
}

/**
 * Playwright's own default (30 s) equals a short test's budget, so a stuck wait used to end as a bare
 * jest timeout; a shorter default fails it with the locator it waited for.
 */
const ACTION_TIMEOUT_MS = 15_000;

export async function openBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const profile = mkdtempSync(path.join(tmpdir(), 'vigil-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  let errors: BrowserError[] = [];
  let allowed: ((e: BrowserError) => boolean)[] = [];
  const watch = (page: Page): Page => {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push({ page, pageUrl: page.url(), text: m.text(), resourceUrl: m.location().url, at: Date.now() });
    });
    page.on('pageerror', (e) => errors.push({ page, pageUrl: page.url(), text: e.message, resourceUrl: '', at: Date.now() }));
    return page;
  };
  context.pages().forEach(watch);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    newPage: async () => watch(await context.newPage()),
    expectErrors: (matches) => void allowed.push(matches),
    takeUnexpectedErrors: () => {
      const unexpected = errors.filter((e) => !allowed.some((ok) => ok(e)));
      errors = [];
      allowed = [];
      return unexpected.map((e) => `${e.pageUrl}: ${e.text}${e.resourceUrl ? ` [${e.resourceUrl}]` : ''}`);
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the login form (a fresh tab has no session: it lives in sessionStorage). */
export async function signIn(page: Page, url: string, key: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
