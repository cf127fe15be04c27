import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalFifoQueue, QueueSnapshot } from './local-fifo-queue.js';

/**
 * The local queues kept in files (`.local/queues/<name>.json`), so that what `npm run dev` left on
 * its queue and its dead-letter queue is there for the next run and for `npm run dlq`. Written
 * shortly after each change (and at close), atomically (a temporary file renamed over the old
 * one), so a crash loses at most the last moment and never leaves half a file.
 */

const SAVE_DELAY_MS = 200;

const fileOf = (dir: string, name: string) => join(dir, `${name}.json`);

/** The snapshot saved for `name`, if any. A file that cannot be read is an error, never ignored. */
export const readQueueFile = (dir: string, name: string): QueueSnapshot | undefined => {
  let text: string;
  try {
    text = readFileSync(fileOf(dir, name), 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const snapshot = JSON.parse(text) as QueueSnapshot;
    if (!Array.isArray(snapshot.messages) || !Array.isArray(snapshot.dedup))
      throw new Error('not a queue file');
    return snapshot;
  } catch (error) {
    throw new Error(
      `${fileOf(dir, name)} is not a queue file (${(error as Error).message}): move it away to start empty`,
    );
  }
};

const writeQueueFile = (dir: string, queue: LocalFifoQueue) => {
  mkdirSync(dir, { recursive: true });
  const file = fileOf(dir, queue.name);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(queue.snapshot()));
  renameSync(temporary, file);
};

type Mutating = 'send' | 'receive' | 'delete' | 'changeVisibility' | 'setVisibility' | 'recordFailure';
const MUTATING: readonly Mutating[] = [
  'send',
  'receive',
  'delete',
  'changeVisibility',
  'setVisibility',
  'recordFailure',
];

export interface PersistedQueues {
  /** The same queues, each change of either noted so both are saved (a redrive moves between them). */
  readonly queues: readonly LocalFifoQueue[];
  /** Saves now and stops saving. */
  close(): void;
}

/** Saves `queues` to `dir` after every change; use the returned wrappers in their place. */
export const persistQueues = (dir: string, queues: readonly LocalFifoQueue[]): PersistedQueues => {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const save = () => {
    timer = undefined;
    for (const queue of queues) writeQueueFile(dir, queue);
  };
  const changed = () => {
    if (!closed) timer ??= setTimeout(save, SAVE_DELAY_MS);
  };
  const wrap = (queue: LocalFifoQueue): LocalFifoQueue => {
    const wrapped = { ...queue };
    for (const method of MUTATING) {
      const original = queue[method] as (...args: unknown[]) => unknown;
      (wrapped as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const result = original.apply(queue, args);
        changed();
        return result;
      };
    }
    return wrapped;
  };
  return {
    queues: queues.map(wrap),
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      save();
    },
  };
};
