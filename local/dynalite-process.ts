import { createTally, type DynaliteServerOptions, listenDynalite } from './dynalite-server.js';

/**
 * Child-process entry of `startLocalDynamo({ separateProcess: true })`: dynalite on a core of its
 * own, so a long run (the bench) does not share one event loop between the server and its
 * clients. Talks to the parent over IPC (`{ id, type }` → `{ id, value }`); exits with it.
 */
type Request =
  | { id: number; type: 'start'; options: Omit<DynaliteServerOptions, 'tally'> & { count: boolean } }
  | { id: number; type: 'tally' | 'reset' | 'close' };

const tally = createTally();
let close: (() => Promise<void>) | undefined;

const answer = async (request: Request): Promise<unknown> => {
  switch (request.type) {
    case 'start': {
      const { count, ...options } = request.options;
      const server = await listenDynalite({ ...options, ...(count && { tally }) });
      close = server.close;
      return { endpoint: server.endpoint };
    }
    case 'tally':
      return tally.snapshot();
    case 'reset':
      tally.reset();
      return null;
    case 'close':
      await close?.();
      return null;
  }
};

process.on('message', (request: Request) => {
  answer(request).then(
    (value) => process.send?.({ id: request.id, value }),
    (error: unknown) => process.send?.({ id: request.id, error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
