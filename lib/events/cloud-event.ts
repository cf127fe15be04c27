import type { CloudEvent, HrEvent } from './schemas.js';

/** Whether a delivery item claims to be a CloudEvents envelope (then it is validated as one). */
export const looksLikeCloudEvent = (item: object): boolean => Object.hasOwn(item, 'specversion');

/**
 * Normalises a validated CloudEvents envelope to the bare event shape the rest of the system
 * uses. `time` is the CloudEvents occurrence time, so it fills `occurredAt` when `data` has none.
 */
export const cloudEventToHrEvent = (envelope: CloudEvent): HrEvent => {
  const { employeeId, version, occurredAt, effectiveAt, status, admin, member } = envelope.data;
  const occurred = occurredAt ?? envelope.time;
  return {
    type: envelope.type,
    id: envelope.id,
    employeeId,
    version,
    ...(occurred === undefined ? {} : { occurredAt: occurred }),
    ...(effectiveAt === undefined ? {} : { effectiveAt }),
    ...(status === undefined ? {} : { status }),
    ...(admin === undefined ? {} : { admin }),
    member,
  };
};
