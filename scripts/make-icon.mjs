#!/usr/bin/env node
// Renders media/icon.svg to media/icon.png (128×128, transparent corners) with the headless
// Chromium the extension-host tests already use, so no image tool is needed. Run after editing
// the SVG:  node scripts/make-icon.mjs
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVsCodeServer } from './vscode-server/install.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(path.join(root, 'media', 'icon.svg'), 'utf8');
const out = path.join(root, 'media', 'icon.png');

const { chromium: executablePath } = await ensureVsCodeServer();
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: out, omitBackground: true });
  console.log(`wrote ${path.relative(root, out)}`);
} finally {
  await browser.close();
}
