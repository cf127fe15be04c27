import type { MeetingClient } from '../meeting/types.js';

/**
 * The Meeting client as one event sees it, noting each operation it calls with its selectors
 * (`updateMember zhang.wei`), for the audit and `npm run history`. Only selectors are noted,
 * never the fields sent: the audit outlives the event and must not copy personal data around.
 * A Proxy rather than a hand-written wrapper: every operation of the interface is covered,
 * including ones added later, with nothing to keep in step.
 */
export const withCallLog = (meeting: MeetingClient): { client: MeetingClient; calls: string[] } => {
  const calls: string[] = [];
  const client = new Proxy(meeting, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls.push(describeCall(property, args[0]));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { client, calls };
};

/** `operation selector…`: the first argument when it names members (an account or a list of them). */
const describeCall = (operation: string, first: unknown): string => {
  if (typeof first === 'string') return `${operation} ${first}`;
  if (Array.isArray(first) && first.every((a) => typeof a === 'string')) {
    const shown = first.slice(0, 5).join(',');
    return `${operation} ${shown}${first.length > 5 ? `,… (${first.length})` : ''}`;
  }
  // A create names its member by the HR id it carries, else by account.
  const input = first as { thirdAccount?: unknown; account?: unknown } | undefined;
  const key = input?.thirdAccount ?? input?.account;
  return typeof key === 'string' ? `${operation} ${key}` : operation;
};
