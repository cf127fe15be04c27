import { z } from 'zod';
import { STORE_ERROR_KIND, StoreError } from './errors.js';
import {
  actionSk,
  auditSk,
  employeePk,
  GSI1_PARTITIONS,
  ITEM_TYPES,
  SORT_KEYS,
  sortableTime,
  ttlSeconds,
} from './keys.js';
import { TABLE_KEYS } from './table.js';
import {
  type AuditEntry,
  EMPLOYEE_STATUS,
  EMPLOYMENT,
  type EmployeeRecord,
  type EmployeeStatus,
  type Employment,
  type ScheduledAction,
} from './types.js';

/** Maps domain records to table items and back; the only place that knows item attributes. */

export type Item = Record<string, unknown>;

/** Attributes that belong to the table layout, not to the record. */
const LAYOUT_ATTRIBUTES = [
  TABLE_KEYS.pk,
  TABLE_KEYS.sk,
  TABLE_KEYS.gsi1pk,
  TABLE_KEYS.gsi1sk,
  TABLE_KEYS.ttl,
  'type',
];

const aspect = <T extends z.ZodType>(value: T) =>
  z.object({ value, version: z.number(), eventId: z.string() }).optional();

const profileSchema = z.lazy(() =>
  z.object({
    name: z.string(),
    englishName: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    country: z.string().optional(),
    title: z.string().optional(),
    deptCode: z.string(),
  }),
);

// Loose: attributes added to EmployeeRecord later round-trip untouched.
const employeeItemSchema = z.lazy(() =>
  z.looseObject({
    employeeId: z.string(),
    account: z.string(),
    accountType: z.union([z.literal(0), z.literal(1)]).optional(),
    linked: z.object({ by: z.string(), at: z.number() }).optional(),
    memberId: z.string().optional(),
    status: z.enum(Object.values(EMPLOYEE_STATUS) as [EmployeeStatus, ...EmployeeStatus[]]),
    isAdmin: z.boolean(),
    profileApplied: z.number().optional(),
    hr: z.object({
      profile: aspect(profileSchema),
      employment: aspect(z.enum(Object.values(EMPLOYMENT) as [Employment, ...Employment[]])),
      admin: aspect(z.boolean()),
    }),
    floorVersion: z.number().optional(),
    lastVersion: z.number(),
    lastEventId: z.string(),
    disabledAt: z.number().optional(),
    deletedAt: z.number().optional(),
    updatedAt: z.number(),
    revision: z.number().int().nonnegative(),
    applyingSince: z.number().optional(),
  }),
);

/**
 * Records written before per-aspect versions carried one `lastVersion` (and a `statusVersion` for
 * hires, rehires and terminations). Read as: every aspect settled at that version (the floor), the
 * status decision at its own version, and the profile last applied at that version.
 */
const legacyEmployeeSchema = z.lazy(() =>
  z.looseObject({
    employeeId: z.string(),
    lastVersion: z.number(),
    lastEventId: z.string(),
    status: z.enum(Object.values(EMPLOYEE_STATUS) as [EmployeeStatus, ...EmployeeStatus[]]),
    statusVersion: z.number().optional(),
    profile: profileSchema.optional(),
  }),
);

const migrateLegacyEmployee = (item: Item): Item => {
  const parsed = legacyEmployeeSchema.safeParse(item);
  if (!parsed.success) return item;
  const { statusVersion, profile, ...legacy } = parsed.data;
  const at = { version: legacy.lastVersion, eventId: legacy.lastEventId };
  return {
    ...legacy,
    hr: {
      ...(profile && { profile: { value: profile, ...at } }),
      employment: {
        value: legacy.status === EMPLOYEE_STATUS.active ? EMPLOYMENT.active : EMPLOYMENT.terminated,
        version: statusVersion ?? legacy.lastVersion,
        eventId: legacy.lastEventId,
      },
    },
    profileApplied: legacy.lastVersion,
    floorVersion: legacy.lastVersion,
    revision: 0,
  };
};

const actionItemSchema = z.lazy(() =>
  z.object({
    dueAt: z.number(),
    eventId: z.string(),
    employeeId: z.string(),
    event: z.string(),
  }),
);

const withoutUndefined = (value: Item): Item =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

const withoutLayout = (item: Item): Item =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !LAYOUT_ATTRIBUTES.includes(k)));

/** Fails loudly on an item that does not match its type, naming fields but never values. */
const parseItem = <T>(schema: z.ZodType<T>, item: Item, kind: string): T => {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(', ');
  throw new StoreError(`malformed ${kind} item (fields: ${fields})`, {
    kind: STORE_ERROR_KIND.permanent,
    operation: `read ${kind}`,
  });
};

/**
 * Sparse gsi1 entry of an employee: active and disabled employees are indexed (count them,
 * find disabled ones by time); deleted employees are not.
 */
const employeeGsi1 = (record: EmployeeRecord): Item => {
  if (record.status === EMPLOYEE_STATUS.active) {
    return { [TABLE_KEYS.gsi1pk]: GSI1_PARTITIONS.active, [TABLE_KEYS.gsi1sk]: record.employeeId };
  }
  if (record.status === EMPLOYEE_STATUS.disabled) {
    // A disabled record without disabledAt is dated by its last write: never earlier than the disable.
    const since = record.disabledAt ?? record.updatedAt;
    return {
      [TABLE_KEYS.gsi1pk]: GSI1_PARTITIONS.disabled,
      [TABLE_KEYS.gsi1sk]: `${sortableTime(since)}#${record.employeeId}`,
    };
  }
  return {};
};

export const employeeKey = (employeeId: string): Item => ({
  [TABLE_KEYS.pk]: employeePk(employeeId),
  [TABLE_KEYS.sk]: SORT_KEYS.state,
});

export const employeeToItem = (record: EmployeeRecord): Item =>
  withoutUndefined({
    ...withoutLayout(record as unknown as Item),
    ...employeeKey(record.employeeId),
    type: ITEM_TYPES.employee,
    ...employeeGsi1(record),
  });

export const itemToEmployee = (item: Item): EmployeeRecord => {
  const attributes = withoutLayout(item);
  const current = 'hr' in attributes ? attributes : migrateLegacyEmployee(attributes);
  return parseItem(employeeItemSchema, current, ITEM_TYPES.employee) as EmployeeRecord;
};

export const actionKey = (action: Pick<ScheduledAction, 'employeeId' | 'dueAt' | 'eventId'>): Item => ({
  [TABLE_KEYS.pk]: employeePk(action.employeeId),
  [TABLE_KEYS.sk]: actionSk(action.dueAt, action.eventId),
});

export const actionToItem = (action: ScheduledAction): Item => ({
  ...actionKey(action),
  type: ITEM_TYPES.action,
  dueAt: action.dueAt,
  eventId: action.eventId,
  employeeId: action.employeeId,
  event: action.event,
  [TABLE_KEYS.gsi1pk]: GSI1_PARTITIONS.actions,
  [TABLE_KEYS.gsi1sk]: `${sortableTime(action.dueAt)}#${action.employeeId}#${action.eventId}`,
});

export const itemToAction = (item: Item): ScheduledAction =>
  parseItem(actionItemSchema, item, ITEM_TYPES.action);

const auditItemSchema = z.lazy(() =>
  z.object({
    employeeId: z.string(),
    eventId: z.string(),
    at: z.number(),
    outcome: z.string(),
    reason: z.string().optional(),
    type: z.string().optional(),
    version: z.number().optional(),
    effectiveAt: z.string().optional(),
    receivedAt: z.number().optional(),
    receiveCount: z.number().optional(),
    source: z.string().optional(),
    changes: z.array(z.string()).optional(),
    calls: z.array(z.string()).optional(),
  }),
);

/** Audit entries live beside the employee (history in one Query) and expire at `expiresAt`. */
export const auditToItem = ({ type: eventType, ...entry }: AuditEntry, expiresAt: number): Item =>
  withoutUndefined({
    ...entry,
    eventType,
    [TABLE_KEYS.pk]: employeePk(entry.employeeId),
    [TABLE_KEYS.sk]: auditSk(entry.at, entry.eventId),
    type: ITEM_TYPES.audit,
    // Empty lists say nothing; DynamoDB stores them, but history reads absent and empty alike.
    changes: entry.changes?.length ? [...entry.changes] : undefined,
    calls: entry.calls?.length ? [...entry.calls] : undefined,
    [TABLE_KEYS.ttl]: ttlSeconds(expiresAt),
  });

/** The item's `type` attribute is the layout's; an entry's event type is stored as `eventType`. */
export const itemToAudit = (item: Item): AuditEntry => {
  const { eventType, ...attributes } = withoutLayout(item);
  return parseItem(auditItemSchema, { ...attributes, type: eventType ?? undefined }, ITEM_TYPES.audit);
};

/** How long audit entries are kept by default (AUDIT_RETENTION_DAYS). */
export const DEFAULT_AUDIT_RETENTION_DAYS = 400;
