/**
 * Key layout of the single lifecycle table (docs/store.md). Every key string is built here and
 * nowhere else, so the layout can be read (and changed) in one place.
 */

/** Sort keys of fixed-name items. */
export const SORT_KEYS = { state: 'STATE', token: 'TOKEN', lease: 'LEASE' } as const;

/** Fixed partitions of the sparse GSI `gsi1`. */
export const GSI1_PARTITIONS = {
  active: 'EMPLOYEES#active',
  disabled: 'EMPLOYEES#disabled',
  actions: 'ACTIONS#scheduled',
} as const;

/** Item type marker stored on every item (`type` attribute), for scans and debugging. */
export const ITEM_TYPES = {
  employee: 'employee',
  action: 'action',
  audit: 'audit',
  token: 'token',
  lease: 'lease',
  rateTurn: 'rate-turn',
} as const;

// 16 digits hold every safe integer, so zero-padded epoch ms sort as strings in time order.
const TIME_WIDTH = 16;

/** Epoch ms as a fixed-width string, so string order (DynamoDB sort keys) equals time order. */
export const sortableTime = (epochMs: number): string => {
  if (!Number.isSafeInteger(epochMs) || epochMs < 0) {
    throw new RangeError(`time must be a non-negative safe integer (epoch ms), got ${epochMs}`);
  }
  return String(epochMs).padStart(TIME_WIDTH, '0');
};

/** DynamoDB TTL value: epoch seconds, rounded up so an item never expires early. */
export const ttlSeconds = (epochMs: number): number => Math.ceil(epochMs / 1000);

export const employeePk = (employeeId: string): string => `EMP#${employeeId}`;
export const actionSk = (dueAt: number, eventId: string): string =>
  `ACTION#${sortableTime(dueAt)}#${eventId}`;
export const auditSk = (at: number, eventId: string): string => `AUDIT#${sortableTime(at)}#${eventId}`;
export const tokenPk = (cacheKey: string): string => `TOKEN#${cacheKey}`;
export const idempotencyPk = (functionName: string): string => `IDEMPOTENCY#${functionName}`;
export const ratePk = (api: string): string => `RATE#${api}`;
