import { expect } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { startVendorSimulators, type VendorSimulators } from '../../local/vendor-simulators.js';
import type { Delivery } from '../../simulator/vendor-server.js';

/** Both vendor simulators and a local stack with both connectors on, wired to each other. */
export const startConnectorStack = async (
  options: { env?: Record<string, string>; startWorker?: boolean } = {},
) => {
  const vendors: VendorSimulators = await startVendorSimulators();
  const stack: LocalStack = await startLocalStack({
    env: { ...vendors.env, ...options.env },
    startWorker: options.startWorker ?? false,
  });
  vendors.connect(stack);
  return {
    stack,
    ...vendors,
    /** Messages sent so far to the queue and to the DLQ. */
    counts: () => ({ queued: stack.queue.stats().sent, deadLettered: stack.dlq.stats().sent }),
    /** The events queued for one employee, parsed, oldest first. */
    queuedFor: (employeeId: string) =>
      stack.queue
        .messages()
        .filter((m) => m.groupId === employeeId)
        .map((m) => ({
          ...m,
          event: JSON.parse(m.body) as Record<string, unknown> & { member: Record<string, unknown> },
        })),
    async close() {
      await stack.stop();
      await vendors.close();
    },
  };
};
export type ConnectorStack = Awaited<ReturnType<typeof startConnectorStack>>;

export const errorCode = (delivery: Delivery) => (delivery.body.error as { code?: string } | undefined)?.code;

/** Runs `send` and checks it was refused with `status` and `code`, and that nothing reached either queue. */
export const expectRefused = async (
  t: ConnectorStack,
  send: () => Promise<Delivery>,
  status: number,
  code: string,
): Promise<void> => {
  const before = t.counts();
  const delivery = await send();
  expect({ status: delivery.status, code: errorCode(delivery) }).toEqual({ status, code });
  expect(t.counts()).toEqual(before);
};
