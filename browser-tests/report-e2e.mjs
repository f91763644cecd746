// Opens an hmn report (written by `hmn report`) from disk in headless Chromium: the overview, a cluster page and a
// neuron page reached by their links. Checks that every image loaded, no console error, the activation maps drawn.
//
// Usage: node report-e2e.mjs REPORT_DIR SCREENSHOT_DIR
// Exits 0 when every check passed; otherwise prints the failed check and exits 1.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [reportDir, shots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const errors = [];
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', e => errors.push(String(e)));
page.on('requestfailed', r => { // a lazy image still loading when the test navigates away is aborted, not broken
  if (!/ERR_ABORTED/.test(r.failure()?.errorText ?? '')) errors.push('failed: ' + r.url()); });
let failed = null;
function check(ok, what) { if (!ok && !failed) failed = what; }

async function imagesLoaded(what) {
  await page.evaluate(() => Promise.all([...document.images].map(i => { i.loading = 'eager';
    return i.complete ? null : new Promise(r => { i.onload = i.onerror = r; }); })));
  const bad = await page.evaluate(() => [...document.images].filter(i => !(i.naturalWidth > 0)).map(i => i.src));
  check(bad.length === 0, `${what}: images not loaded: ${bad.slice(0, 3).join(', ')}`);
  return page.evaluate(() => document.images.length);
}

try {
  await page.goto(pathToFileURL(`${reportDir}/index.html`).href);
  check(await page.locator('.icicle .node').count() > 0, 'overview: no cluster in the hierarchy');
  await page.fill('#search', 'layer4:1');
  check(await page.locator('#results li').count() > 0, 'overview: search found no neuron');
  await page.screenshot({ path: `${shots}/report-overview.png` });

  await page.locator('.icicle .level').last().locator('a.node').first().click();
  await page.waitForLoadState('load');
  check(page.url().includes('/c/'), 'the hierarchy link did not open a cluster page: ' + page.url());
  const clusterImages = await imagesLoaded('cluster page');
  check(clusterImages > 0, 'cluster page: no image');
  check(await page.locator('table.group .bar').count() > 0, 'cluster page: no support bars');
  await page.screenshot({ path: `${shots}/report-cluster.png`, fullPage: true });
  const clusterUrl = page.url();

  await page.locator('table.group a').last().click();
  await page.waitForLoadState('load');
  check(page.url().includes('/n/'), 'the group link did not open a neuron page: ' + page.url());
  const neuronImages = await imagesLoaded('neuron page');
  check(neuronImages > 0, 'neuron page: no image');
  const heat = await page.evaluate(() => [...document.querySelectorAll('canvas.heat')].map(c => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let lit = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) lit++;
    return c.dataset.drawn === 'true' && lit > 0; }));
  const expectHeat = process.env.EXPECT_HEATMAPS !== 'false';
  check(!expectHeat || (heat.length > 0 && heat.every(x => x)), `neuron page: heatmaps drawn ${JSON.stringify(heat)}`);
  await page.screenshot({ path: `${shots}/report-neuron.png`, fullPage: true });

  await page.locator('table.group a.cluster').first().click();
  await page.waitForLoadState('load');
  check(page.url().includes('/c/'), 'the concept link did not open a cluster page');
  await page.goto(clusterUrl);
  await page.locator('nav a').click();
  await page.waitForLoadState('load');
  check(page.url().endsWith('/index.html'), 'the nav link did not open the overview');
  check(errors.length === 0, 'console errors: ' + errors.join(' | '));
  if (!failed) {
    console.log(`ok: overview, cluster page (${clusterImages} images), neuron page (${neuronImages} images,`
      + ` ${heat.length} heatmaps)`);
  }
} catch (e) {
  failed = failed ?? String(e);
} finally {
  await browser.close();
}
if (failed) { console.log('FAILED: ' + failed); process.exit(1); }
