import { type BatchOptions, batchDelete, batchGet } from './batch.js';
import type { DynamoPort, Item, PageCursor } from './dynamo-port.js';
import { STORE_ERROR_KIND, StoreError, storeCall, unlessConditionFails } from './errors.js';
import { sortableTime } from './keys.js';
import { TABLE_KEYS } from './table.js';
import type { BufferedDisable, OffboardingStore, PendingDisable } from './types.js';

/** Entries in request-time order (sk = `<requestedAt>#<employeeId>`): the oldest N are one Query. */
const QUEUE_PK = 'OFFBOARD#disable-queue';
/** The layout before the queue (sk = employee id). Drained in place, like queue entries. */
const LEGACY_PK = 'OFFBOARD#pending-disable';
const MARKER_SK = 'PENDING';
const ITEM_TYPE = { entry: 'pending-disable', marker: 'pending-disable-marker' } as const;
/** Positions name the partition: legacy items (all older than the queue) are read first. */
const AT = { legacy: 'l:', queue: 'q:' } as const;

/** One per employee with a pending disable; finds the queue entry by employee id. */
const markerKey = (employeeId: string) => ({
  [TABLE_KEYS.pk]: `OFFBOARD#pending#${employeeId}`,
  [TABLE_KEYS.sk]: MARKER_SK,
});
const entrySk = (p: Pick<PendingDisable, 'employeeId' | 'requestedAt'>) =>
  `${sortableTime(p.requestedAt)}#${p.employeeId}`;
const entryKey = (p: Pick<PendingDisable, 'employeeId' | 'requestedAt'>) => ({
  [TABLE_KEYS.pk]: QUEUE_PK,
  [TABLE_KEYS.sk]: entrySk(p),
});
const legacyKey = (employeeId: string) => ({ [TABLE_KEYS.pk]: LEGACY_PK, [TABLE_KEYS.sk]: employeeId });

const isLegacy = (p: BufferedDisable) => p.position.startsWith(AT.legacy);

/** The fields of a pending disable, copied from an item (or a wider object). */
const pendingOf = (item: Partial<Record<keyof PendingDisable, unknown>>): PendingDisable => ({
  employeeId: String(item.employeeId),
  account: String(item.account),
  // How the account addresses the member, when the record says so (an adopted member).
  ...((item.accountType === 0 || item.accountType === 1) && { accountType: item.accountType }),
  eventId: String(item.eventId),
  requestedAt: Number(item.requestedAt),
});

const parsePosition = (position: string) => {
  for (const [part, prefix] of Object.entries(AT)) {
    if (position.startsWith(prefix)) return { part, sk: position.slice(prefix.length) };
  }
  throw new RangeError('not a pending-disable position');
};

/**
 * The pending-disable buffer (layout and reasoning in docs/store.md): a queue entry per disable,
 * ordered by request time, plus a marker per employee that says which entry is the live one.
 * A termination writes the marker, then the entry; a flush or a cancellation deletes the marker,
 * then the entry. So a marker always has its entry, and an entry without its marker is stale
 * (cancelled, or left by a crash between the two deletes) and is never sent.
 */
export const createDynamoDisableBuffer = ({
  client,
  tableName,
  batch = {},
}: {
  client: DynamoPort;
  tableName: string;
  batch?: BatchOptions;
}) => {
  /** Up to `limit` items of one partition after `after` (sort key, exclusive), consistent. */
  const queryAfter = async (pk: string, after: string | undefined, limit: number) => {
    const items: Item[] = [];
    let startKey: PageCursor | undefined;
    while (items.length < limit) {
      const page = await storeCall('peekPendingDisables', () =>
        client.query({
          TableName: tableName,
          KeyConditionExpression: after === undefined ? '#pk = :pk' : '#pk = :pk AND #sk > :after',
          ExpressionAttributeNames: {
            '#pk': TABLE_KEYS.pk,
            ...(after !== undefined && { '#sk': TABLE_KEYS.sk }),
          },
          ExpressionAttributeValues: { ':pk': pk, ...(after !== undefined && { ':after': after }) },
          ConsistentRead: true,
          Limit: limit - items.length,
          ...(startKey && { ExclusiveStartKey: startKey }),
        }),
      );
      items.push(...page.Items);
      startKey = page.LastEvaluatedKey;
      if (!startKey) break;
    }
    return items;
  };

  const putEntry = (pending: PendingDisable) =>
    storeCall('addPendingDisable', () =>
      client.put({
        TableName: tableName,
        Item: { ...entryKey(pending), type: ITEM_TYPE.entry, ...pendingOf(pending) },
      }),
    );

  /** Splits candidates into those still pending and stale ones (no writes). */
  const sortOut = async (operation: string, candidates: readonly BufferedDisable[]) => {
    const found = await batchGet(
      client,
      tableName,
      candidates.map((c) => (isLegacy(c) ? legacyKey(c.employeeId) : markerKey(c.employeeId))),
      operation,
      batch,
    );
    const markers = new Map<string, number>();
    const legacy = new Set<string>();
    for (const item of found) {
      if (item[TABLE_KEYS.pk] === LEGACY_PK) legacy.add(String(item[TABLE_KEYS.sk]));
      else markers.set(String(item.employeeId), Number(item.requestedAt));
    }
    const live = (c: BufferedDisable) =>
      isLegacy(c) ? legacy.has(c.employeeId) : markers.get(c.employeeId) === c.requestedAt;
    return { pending: candidates.filter(live), stale: candidates.filter((c) => !live(c)) };
  };

  const buffer: Pick<
    OffboardingStore,
    | 'addPendingDisable'
    | 'peekPendingDisables'
    | 'claimPendingDisables'
    | 'removePendingDisables'
    | 'removePendingDisable'
    | 'pendingAmong'
    | 'listPendingDisables'
  > = {
    async addPendingDisable(pending) {
      // A marker that is already there keeps its (older) entry: a redelivered termination
      // re-puts that entry, in case the first attempt died between the marker and the entry.
      for (let attempt = 0; attempt < 3; attempt++) {
        const placed = await unlessConditionFails('addPendingDisable', () =>
          client.put({
            TableName: tableName,
            Item: { ...markerKey(pending.employeeId), type: ITEM_TYPE.marker, ...pendingOf(pending) },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
          }),
        );
        const live = placed
          ? pending
          : (
              await storeCall('addPendingDisable', () =>
                client.get({
                  TableName: tableName,
                  Key: markerKey(pending.employeeId),
                  ConsistentRead: true,
                }),
              )
            ).Item;
        if (live) {
          await putEntry(pendingOf(live));
          return;
        }
        // The marker went between our put and our read (just flushed or cancelled): place ours.
      }
      throw new StoreError('store addPendingDisable failed (retryable): the marker kept changing', {
        kind: STORE_ERROR_KIND.retryable,
        operation: 'addPendingDisable',
      });
    },

    async peekPendingDisables(limit, after) {
      const at = after === undefined ? undefined : parsePosition(after);
      const out: BufferedDisable[] = [];
      if (at === undefined || at.part === 'legacy') {
        for (const item of await queryAfter(LEGACY_PK, at?.sk, limit)) {
          out.push({ ...pendingOf(item), position: `${AT.legacy}${String(item[TABLE_KEYS.sk])}` });
        }
      }
      const queueAfter = at?.part === 'queue' ? at.sk : undefined;
      for (const item of await queryAfter(QUEUE_PK, queueAfter, limit - out.length)) {
        out.push({ ...pendingOf(item), position: `${AT.queue}${String(item[TABLE_KEYS.sk])}` });
      }
      return out;
    },

    async claimPendingDisables(candidates) {
      if (candidates.length === 0) return [];
      const { pending, stale } = await sortOut('claimPendingDisables', candidates);
      const staleEntries = stale.filter((s) => !isLegacy(s)).map(entryKey);
      await batchDelete(client, tableName, staleEntries, 'claimPendingDisables', batch);
      return pending;
    },

    async removePendingDisables(sent) {
      const queued = sent.filter((s) => !isLegacy(s));
      // Markers first: an entry without its marker is dropped as stale, while a marker whose
      // entry is gone would report the disable as pending for ever.
      const firsts = [
        ...queued.map((s) => markerKey(s.employeeId)),
        ...sent.filter(isLegacy).map((s) => legacyKey(s.employeeId)),
      ];
      await batchDelete(client, tableName, firsts, 'removePendingDisables', batch);
      await batchDelete(client, tableName, queued.map(entryKey), 'removePendingDisables', batch);
    },

    async removePendingDisable(employeeId) {
      const found = await batchGet(
        client,
        tableName,
        [markerKey(employeeId), legacyKey(employeeId)],
        'removePendingDisable',
        batch,
      );
      const marker = found.find((item) => item[TABLE_KEYS.pk] !== LEGACY_PK);
      const firsts = found.map((item) => ({
        [TABLE_KEYS.pk]: item[TABLE_KEYS.pk],
        [TABLE_KEYS.sk]: item[TABLE_KEYS.sk],
      }));
      await batchDelete(client, tableName, firsts, 'removePendingDisable', batch);
      if (marker)
        await batchDelete(client, tableName, [entryKey(pendingOf(marker))], 'removePendingDisable', batch);
      return found.length > 0;
    },

    async pendingAmong(employeeIds) {
      const ids = [...new Set(employeeIds)];
      if (ids.length === 0) return new Set<string>();
      const found = await batchGet(
        client,
        tableName,
        ids.flatMap((id) => [markerKey(id), legacyKey(id)]),
        'pendingAmong',
        batch,
      );
      return new Set(
        found.map((item) =>
          String(item[TABLE_KEYS.pk] === LEGACY_PK ? item[TABLE_KEYS.sk] : item.employeeId),
        ),
      );
    },

    async listPendingDisables(limit) {
      const out: PendingDisable[] = [];
      let after: string | undefined;
      while (out.length < limit) {
        const page = await buffer.peekPendingDisables(Math.min(limit - out.length, 100), after);
        if (page.length === 0) break;
        const { pending } = await sortOut('listPendingDisables', page);
        out.push(...pending.map(pendingOf));
        after = page.at(-1)!.position;
      }
      return out.sort((a, b) => a.requestedAt - b.requestedAt);
    },
  };
  return buffer;
};
