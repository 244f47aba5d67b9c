import path from 'node:path';

export {
  DirectoryImporter,
  contactIdFor,
  type DirectoryImportOptions,
  type DirectoryProgress,
  type DirectoryRejection,
  type DirectorySource,
  type DirectorySummary,
  type KindSummary,
} from './importer';
export { readDirectoryText, type DirectoryRecord, type ReadResult } from './records';

/** The demo directory: two files loaded like any vendor's (organisations first). */
export const DEMO_DIRECTORY_FILES = [
  path.join(__dirname, 'demo', 'organisations.csv'),
  path.join(__dirname, 'demo', 'contacts.csv'),
];
