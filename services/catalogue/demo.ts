import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { formatCatalogueIssue, parseCatalogue } from './catalogueFile';
import type { CatalogueData } from './types';

/** The demo vendor's catalogue file, shipped with the code. */
export const DEMO_CATALOGUE_FILE = path.join(__dirname, 'demo', 'catalogue.yaml');

let demo: CatalogueData | undefined;

/** The demo catalogue, read once. */
export function demoCatalogueData(): CatalogueData {
  if (demo) return demo;
  const result = parseCatalogue(readFileSync(DEMO_CATALOGUE_FILE, 'utf8'));
  if (!result.ok)
    throw new AppError(
      'invalid_input',
      `The demo catalogue is invalid:\n${result.issues.map((i) => formatCatalogueIssue(DEMO_CATALOGUE_FILE, i)).join('\n')}`,
    );
  demo = result.data;
  return demo;
}
