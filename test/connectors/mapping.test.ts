import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  fieldPathsSchema,
  parseBambooHrFunctionConfig,
  parseFeishuFunctionConfig,
} from '../../lib/config/index.js';
import {
  bambooHrEffectiveAt,
  bambooHrMember,
  bambooHrState,
  requestedFields,
} from '../../lib/connectors/bamboohr/mapping.js';
import {
  buildMember,
  decideEventType,
  leaverMember,
  placeholderMember,
} from '../../lib/connectors/canonical.js';
import { ConnectorError } from '../../lib/connectors/errors.js';
import { feishuMember, feishuState } from '../../lib/connectors/feishu/mapping.js';
import { readField } from '../../lib/connectors/field-map.js';
import { EVENT_TYPES } from '../../lib/events/schemas.js';

const bamboo = {
  fields: { title: ['jobTitle'], email: ['workEmail'], deptCode: ['department'] },
  terminatedStatuses: ['Terminated'],
};
const record = (fields: Record<string, string | null>) => ({ id: '7', ...fields });

describe('event type from the state the vendor reports', () => {
  it.each([
    ['terminated', undefined, false, EVENT_TYPES.terminated],
    ['terminated', 'active', true, EVENT_TYPES.terminated],
    ['active', undefined, false, EVENT_TYPES.hired],
    ['active', undefined, true, EVENT_TYPES.hired],
    ['active', 'offboarded', false, EVENT_TYPES.rehired],
    // Its termination may be queued but not applied yet: only a rehire re-enables.
    ['active', 'active', true, EVENT_TYPES.rehired],
    ['active', 'active', false, EVENT_TYPES.updated],
  ] as const)('%s, known as %s, status changed %s → %s', (state, prior, changed, type) => {
    expect(decideEventType(state, prior, changed)).toBe(type);
  });
});

describe('BambooHR records', () => {
  it('is terminated when Inactive or in a terminated employment status, whatever the termination date', () => {
    expect(bambooHrState(record({ status: 'Active', employmentHistoryStatus: 'Full-Time' }), bamboo)).toBe(
      'active',
    );
    expect(bambooHrState(record({ status: 'Inactive', employmentHistoryStatus: 'Full-Time' }), bamboo)).toBe(
      'terminated',
    );
    expect(bambooHrState(record({ status: 'Active', employmentHistoryStatus: 'terminated' }), bamboo)).toBe(
      'terminated',
    );
    // A rehire keeps the old terminationDate.
    expect(bambooHrState(record({ status: 'Active', terminationDate: '2020-01-01' }), bamboo)).toBe('active');
  });

  it('maps preferred name, e-mail, mapped department and title (clipped to 32)', () => {
    const member = bambooHrMember(
      record({
        firstName: 'Charlotte',
        preferredName: 'Lottie',
        lastName: 'Abbott',
        workEmail: 'ca@corp.example',
        department: 'D-HR',
        jobTitle: 'Senior Human Resources Administrator II',
      }),
      'bamboohr-7',
      bamboo,
    );
    expect(member).toEqual({
      name: 'Lottie Abbott',
      email: 'ca@corp.example',
      deptCode: 'D-HR',
      title: 'Senior Human Resources Administr',
    });
  });

  it('refuses a record without an e-mail as unmappable, naming the field and not its values', () => {
    const error = (() => {
      try {
        bambooHrMember(record({ firstName: 'No', lastName: 'Mail' }), 'bamboohr-7', bamboo);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'unmappable_record', kind: 'permanent' });
    expect((error as ConnectorError).reason).toMatch(
      /^bamboohr\.unmappable_record: employee bamboohr-7 .*email/,
    );
    expect((error as ConnectorError).reason).not.toContain('Mail');
  });

  it('asks the API for the base fields and every mapped one', () => {
    expect(
      requestedFields({ ...bamboo, fields: { ...bamboo.fields, account: ['customMeetingId'] } }),
    ).toEqual(
      expect.arrayContaining([
        'firstName',
        'lastName',
        'status',
        'employmentHistoryStatus',
        'workEmail',
        'jobTitle',
        'department',
        'customMeetingId',
      ]),
    );
  });

  it('schedules a hire whose hire date is still ahead, at 00:00 UTC', () => {
    const now = Date.UTC(2026, 5, 1, 12);
    expect(bambooHrEffectiveAt(record({ hireDate: '2026-06-15' }), now)).toBe('2026-06-15T00:00:00.000Z');
    expect(bambooHrEffectiveAt(record({ hireDate: '2026-06-01' }), now)).toBeUndefined();
    expect(bambooHrEffectiveAt(record({ hireDate: '0000-00-00' }), now)).toBeUndefined();
  });
});

describe('Feishu/Lark users', () => {
  const mapping = {
    fields: { title: ['job_title'], email: ['enterprise_email', 'email'], deptCode: ['department_ids.0'] },
    frozenIsTerminated: true,
  };

  it.each([
    [{}, 'active'],
    [{ is_unjoin: true, is_activated: false }, 'active'],
    [{ is_resigned: true }, 'terminated'],
    [{ is_exited: true }, 'terminated'],
    [{ is_frozen: true }, 'terminated'],
  ])('status %j → %s', (status, state) => {
    expect(feishuState({ status }, mapping)).toBe(state);
  });

  it('keeps a frozen user active when frozen does not mean terminated', () => {
    expect(feishuState({ status: { is_frozen: true } }, { ...mapping, frozenIsTerminated: false })).toBe(
      'active',
    );
  });

  it('falls back from enterprise_email to email and reads an array index', () => {
    expect(
      feishuMember(
        {
          name: '张三',
          en_name: 'Zhang San',
          email: 'z@corp.example',
          department_ids: ['D-1', 'D-2'],
          job_title: 'PM',
        },
        'ou_1',
        mapping,
      ),
    ).toEqual({
      name: '张三',
      englishName: 'Zhang San',
      email: 'z@corp.example',
      deptCode: 'D-1',
      title: 'PM',
    });
  });
});

describe('member fields', () => {
  it('refuses a department code longer than Meeting allows instead of cutting it', () => {
    // Feishu's open_department_id is 35 characters.
    expect(() =>
      buildMember('feishu', 'ou_1', { name: 'A', email: 'a@corp.example', deptCode: `od-${'a'.repeat(32)}` }),
    ).toThrow(/deptCode/);
  });

  it('never holds a termination back: the first mapping that works, else nothing (then our profile, else a placeholder)', () => {
    const failing = () => buildMember('bamboohr', 'bamboohr-9', { name: 'X' });
    expect(leaverMember(failing)).toBeUndefined();
    expect(leaverMember(failing, () => ({ name: 'Y', email: 'y@corp.example' }))).toEqual({
      name: 'Y',
      email: 'y@corp.example',
    });
    expect(placeholderMember('bamboohr', 'bamboohr-9')).toEqual({
      name: 'bamboohr-9',
      email: 'bamboohr-9@removed.invalid',
    });
  });

  it('reads field paths: first non-empty wins, 0000-00-00 counts as empty, inherited keys do not count', () => {
    expect(readField({ a: '', b: ' x ' }, ['a', 'b'])).toBe('x');
    expect(readField({ d: '0000-00-00' }, ['d'])).toBeUndefined();
    expect(readField({ n: 42 }, ['n'])).toBe('42');
    expect(readField({}, ['constructor'])).toBeUndefined();
    expect(fieldPathsSchema.safeParse('department_ids.0, email').data).toEqual(['department_ids.0', 'email']);
    expect(fieldPathsSchema.safeParse('a[0]').success).toBe(false);
  });
});

/** What every connector function needs besides its connector (set by serverless.yml). */
const base = {
  TABLE_NAME: 'meeting-lifecycle-dev',
  QUEUE_URL: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/events.fifo',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/dlq.fifo',
};
const loadBambooHrConfig = (env: Record<string, string>) => {
  const config = parseBambooHrFunctionConfig({ ...base, ...env });
  return config.enabled ? { enabled: true as const, ...config.connector } : config;
};
const loadFeishuConfig = (env: Record<string, string>) => {
  const config = parseFeishuFunctionConfig({ ...base, ...env });
  return config.enabled ? { enabled: true as const, ...config.connector } : config;
};

describe('connector settings', () => {
  it('is off unless enabled, and reads nothing else then', () => {
    expect(parseBambooHrFunctionConfig({})).toEqual({ enabled: false });
    expect(parseFeishuFunctionConfig({ FEISHU_ENABLED: 'false', FEISHU_APP_ID: '!!' })).toEqual({
      enabled: false,
    });
  });

  it('once enabled, requires every setting it needs and names the missing ones', () => {
    expect(() => loadBambooHrConfig({ BAMBOOHR_ENABLED: 'true', BAMBOOHR_COMPANY_DOMAIN: 'acme' })).toThrow(
      ConfigError,
    );
    expect(() => loadBambooHrConfig({ BAMBOOHR_ENABLED: 'true', BAMBOOHR_COMPANY_DOMAIN: 'acme' })).toThrow(
      /BAMBOOHR_WEBHOOK_KEYS.*BAMBOOHR_API_KEY/,
    );
    expect(() =>
      loadFeishuConfig({ FEISHU_ENABLED: 'true', FEISHU_APP_ID: 'cli_1', FEISHU_APP_SECRET: 's' }),
    ).toThrow(/FEISHU_ENCRYPT_KEY.*FEISHU_VERIFICATION_TOKEN/);
  });

  it('builds the API base, the mapping with overrides, and keeps secrets out of JSON', () => {
    const config = loadBambooHrConfig({
      BAMBOOHR_ENABLED: 'true',
      BAMBOOHR_COMPANY_DOMAIN: 'acme',
      BAMBOOHR_WEBHOOK_KEYS: 'old-key-123 new-key-456',
      BAMBOOHR_API_KEY: 'api-key-789',
      BAMBOOHR_MAP_DEPT: 'departmentId',
      BAMBOOHR_MAP_TITLE: '',
    });
    expect(config).toMatchObject({
      enabled: true,
      baseUrl: 'https://acme.bamboohr.com',
      employeeIdPrefix: 'bamboohr-',
      fields: { title: ['jobTitle'], email: ['workEmail'], deptCode: ['departmentId'] },
    });
    expect(config.enabled && config.webhookKeys.source === 'value' && config.webhookKeys.value.length).toBe(
      2,
    );
    expect(JSON.stringify(config)).not.toMatch(/key-123|key-456|api-key-789/);
    const feishu = loadFeishuConfig({
      FEISHU_ENABLED: 'true',
      FEISHU_PLATFORM: 'lark',
      FEISHU_APP_ID: 'cli_1',
      FEISHU_APP_SECRET: 'secret-1',
      FEISHU_ENCRYPT_KEY: 'encrypt-1',
      FEISHU_VERIFICATION_TOKEN: 'token-1',
    });
    expect(feishu).toMatchObject({
      baseUrl: 'https://open.larksuite.com',
      idType: 'open_id',
      frozenIsTerminated: true,
    });
    expect(JSON.stringify(feishu)).not.toMatch(/secret-1|encrypt-1|token-1/);
  });
});
