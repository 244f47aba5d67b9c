/**
 * `npm run teams:icons`: draws the Teams app icons from their SVG sources in manifest/icons with
 * headless Chromium, so the PNGs in manifest/ can be redrawn from the sources at any time.
 * The outline icon is made exactly white wherever it is drawn (Teams asks for white on transparency).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { launchBrowser } from '../test/support/browser';

const MANIFEST_DIR = path.join(__dirname, '..', 'manifest');
const ICONS = [
  { source: 'color.svg', target: 'color.png', size: 192, whiteOnly: false },
  { source: 'outline.svg', target: 'outline.png', size: 32, whiteOnly: true },
];

async function main(): Promise<void> {
  const browser = await launchBrowser();
  try {
    for (const icon of ICONS) {
      const svg = readFileSync(path.join(MANIFEST_DIR, 'icons', icon.source), 'utf8');
      const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
      await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
      const shot = await page.locator('svg').screenshot({ omitBackground: true });
      await page.close();
      const png = PNG.sync.read(shot);
      if (png.width !== icon.size || png.height !== icon.size)
        throw new Error(`${icon.source} rendered at ${png.width}×${png.height}, expected ${icon.size}`);
      if (icon.whiteOnly) {
        for (let i = 0; i < png.data.length; i += 4) {
          png.data[i] = png.data[i + 1] = png.data[i + 2] = png.data[i + 3] ? 255 : 0;
        }
      }
      writeFileSync(path.join(MANIFEST_DIR, icon.target), PNG.sync.write(png, { colorType: 6 }));
      process.stdout.write(`manifest/${icon.target}: ${icon.size}×${icon.size}\n`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
