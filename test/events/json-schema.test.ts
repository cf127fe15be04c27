import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// ajv comes with the serverless tooling (osls); it is the JSON Schema validator integrators use.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderJsonSchemaFiles } from '../../lib/events/json-schema.js';
import { EVENT_TYPES } from '../../lib/events/schemas.js';
import { eventsDir, hire, listJson, readJson } from './fixtures.js';

const generated = renderJsonSchemaFiles();
// Formats are not needed: zod also emits a `pattern` for email and date-time. strictRequired is a
// style lint that flags the valid "anyOf: [{ required: [email] }, ...]" rule.
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, validateFormats: false });
const validator = (file: string) => ajv.compile(JSON.parse(generated[file]!));

describe('published JSON Schemas (events/schema)', () => {
  it('match the zod schemas; run `npm run schema` after changing lib/events/schemas.ts', () => {
    const committed = listJson('schema');
    expect(committed, 'events/schema is out of date: run `npm run schema`').toEqual(
      Object.keys(generated).sort(),
    );
    for (const [name, text] of Object.entries(generated)) {
      const onDisk = readFileSync(join(eventsDir, 'schema', name), 'utf8');
      expect(onDisk === text, `events/schema/${name} is out of date: run \`npm run schema\``).toBe(true);
    }
  });

  it('has one schema per event type plus the union, the envelope and the delivery', () => {
    const expected = [...Object.values(EVENT_TYPES).map((t) => `${t}.schema.json`)];
    expected.push('hr-event.schema.json', 'cloudevent.schema.json', 'delivery.schema.json');
    expect(Object.keys(generated).sort()).toEqual(expected.sort());
    for (const text of Object.values(generated)) {
      expect(JSON.parse(text).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    }
  });

  it('validates every sample under events/hr with a standard validator', () => {
    const delivery = validator('delivery.schema.json');
    for (const file of listJson('hr')) {
      const sample = readJson('hr', file);
      expect(delivery(sample), `${file}: ${ajv.errorsText(delivery.errors)}`).toBe(true);
      const own = file.startsWith('cloudevent')
        ? 'cloudevent.schema.json'
        : `${file.replace(/\.json$/, '')}.schema.json`;
      if (own in generated) expect(validator(own)(sample), file).toBe(true);
    }
  });

  it('carries the rules zod keeps in refinements and pipes', () => {
    const event = validator('hr-event.schema.json');
    expect(event(hire())).toBe(true);
    expect(event(hire({ member: { name: 'n' } })), 'email or phone').toBe(false);
    expect(event(hire({ member: { name: 'n', phone: '+8613800138000' } })), 'phone needs country').toBe(
      false,
    );
    expect(event(hire({ member: { name: 'n', email: 'a@b.cn', account: 'a@b.c' } })), 'account pattern').toBe(
      false,
    );
    expect(event(hire({ member: { name: 'n', email: 'a@b.cn', account: '12345' } })), 'not all digits').toBe(
      false,
    );
    expect(event(hire({ type: 'employee.fired' }))).toBe(false);
    expect(event(hire({ extra: 1 }))).toBe(false);
    expect(event(hire({ occurredAt: '2026-02-30T00:00:00Z' }))).toBe(false);
    const delivery = validator('delivery.schema.json');
    expect(delivery([])).toBe(false);
    expect(delivery(Array(101).fill(hire()))).toBe(false);
  });
});
