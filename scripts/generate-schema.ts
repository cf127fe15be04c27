/**
 * Writes the published JSON Schemas (events/schema/*.schema.json) from the zod event schemas.
 * Run after changing lib/events/schemas.ts: `npm run schema`. A test fails while they differ.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJsonSchemaFiles } from '../lib/events/json-schema.js';

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'events', 'schema');

const files = renderJsonSchemaFiles();
mkdirSync(schemaDir, { recursive: true });
for (const stale of readdirSync(schemaDir).filter(
  (name) => name.endsWith('.schema.json') && !(name in files),
)) {
  rmSync(join(schemaDir, stale));
  console.log(`removed ${stale}`);
}
for (const [name, text] of Object.entries(files)) {
  const path = join(schemaDir, name);
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) continue;
  writeFileSync(path, text);
  console.log(`wrote ${name}`);
}
console.log(`${Object.keys(files).length} schemas in events/schema/`);
