// Opens Neo4j Browser (served by `hmn serve`) in headless Chromium, connects, checks that the hmn guide opened,
// runs a procedure and checks its rows, draws a graph and checks that the hmn style sheet captions its nodes.
//
// Usage: node browser-e2e.mjs HTTP_URL BOLT_URL SCREENSHOT_DIR EXPECT_JSON
//   EXPECT_JSON: {"procedureQuery": "...", "procedureText": ["..."], "graphQuery": "...", "graphText": ["..."]}
// Exits 0 when every check passed; otherwise prints the failed check and exits 1.
import { chromium } from 'playwright-core';

const [httpUrl, boltUrl, shots, expectJson] = process.argv.slice(2);
const expect = JSON.parse(expectJson);
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
let failed = null;
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
try {
  const bolt = boltUrl.replace(/^bolt:\/\//, '');
  await page.goto(`${httpUrl}/browser/?dbms=bolt://${bolt}&preselectAuthMethod=NO_AUTH`, { waitUntil: 'networkidle' });

  // 1. Connected, and the post-connect command opened the hmn guide.
  await page.getByText('hmn: what has the model learned?').first().waitFor({ timeout: 60_000 });
  await page.screenshot({ path: `${shots}/browser-guide.png` });

  // 2. A procedure's rows, in the table view.
  await runQuery(page, expect.procedureQuery);
  const frame = page.locator('[data-testid="frame"]').first();
  await frame.locator('[data-testid="cypherFrameSidebarTable"]').click();
  for (const text of expect.procedureText) {
    await frame.getByText(text, { exact: false }).first().waitFor({ timeout: 30_000 });
  }
  await page.screenshot({ path: `${shots}/browser-procedure.png` });

  // 3. A graph, drawn with the hmn style sheet (clusters captioned by their caption).
  await runQuery(page, expect.graphQuery);
  const graphFrame = page.locator('[data-testid="frame"]').first();
  await graphFrame.locator('[data-testid="cypherFrameSidebarVisualization"]').click();
  await graphFrame.locator('svg g.node').first().waitFor({ timeout: 30_000 });
  const nodes = await graphFrame.locator('svg g.node').count();
  if (nodes < 2) {
    throw new Error(`the graph view drew ${nodes} nodes, expected at least 2`);
  }
  const svgText = (await graphFrame.locator('svg g.node text').allTextContents()).join(' ');
  for (const text of expect.graphText) {
    if (!svgText.includes(text)) {
      throw new Error(`the drawn graph does not show "${text}" (style sheet not applied?); it shows: ${svgText.slice(0, 300)}`);
    }
  }
  await page.screenshot({ path: `${shots}/browser-graph.png` });
  console.log(`ok: guide opened, procedure rows shown, graph of ${nodes} nodes drawn`);
} catch (e) {
  failed = e;
  await page.screenshot({ path: `${shots}/browser-failure.png` }).catch(() => {});
} finally {
  await browser.close();
}
if (failed) {
  console.error(`browser check failed: ${failed.message}`);
  process.exit(1);
}

async function runQuery(page, query) {
  await page.locator('[data-testid="activeEditor"]').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(query);
  await page.locator('[data-testid="editor-Run"]').click();
  await page.waitForTimeout(500);
}
