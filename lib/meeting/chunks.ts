import { MeetingBatchError, MeetingError } from '../http/errors.js';

export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};

/**
 * Runs `fn` over consecutive chunks, one at a time. The first failure stops the run: chunks
 * already done stay done (the API has no rollback), so the error lists what was applied.
 */
export const runChunks = async (
  api: string,
  items: readonly string[],
  size: number,
  fn: (chunk: readonly string[]) => Promise<void>,
): Promise<void> => {
  const chunks = chunk(items, size);
  const completed: string[] = [];
  for (const [index, part] of chunks.entries()) {
    try {
      await fn(part);
    } catch (error) {
      if (!(error instanceof MeetingError)) throw error;
      const notCompleted = chunks.slice(index).flat();
      throw new MeetingBatchError(
        `${api} stopped at chunk ${index + 1}/${chunks.length}: ${completed.length} applied, ${notCompleted.length} not`,
        {
          kind: error.kind,
          status: error.status,
          errorCode: error.errorCode,
          errorMsg: error.errorMsg,
          requestId: error.requestId,
          api,
          retryAfterMs: error.retryAfterMs,
          endpoint: error.endpoint,
          cause: error,
          completed,
          notCompleted,
        },
      );
    }
    completed.push(...part);
  }
};
