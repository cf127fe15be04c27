import { z } from 'zod';
import { vendorEventTypes } from '../types.js';

/** The event-based webhook types (docs/connectors.md "BambooHR"). */
export const BAMBOOHR_EVENT_TYPES = vendorEventTypes({
  created: 'employee.created',
  updated: 'employee.updated',
  deleted: 'employee.deleted',
});

/** BambooHR ids are numeric strings; a little wider here, never anything a key could not hold. */
const bambooId = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform(String)
  .pipe(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'id: 1-40 letters, digits, _ or -'));

/**
 * An event-based webhook body, read tolerantly: unknown fields are ignored, null counts as
 * absent, and `timestamp` is informational (the version is the time we read the record).
 */
export const bambooHrWebhookSchema = z.object({
  type: z.enum(BAMBOOHR_EVENT_TYPES.all),
  timestamp: z.string().max(64).nullish(),
  data: z.object({
    companyId: bambooId.nullish(),
    employeeId: bambooId,
    changedFields: z.array(z.string().max(200)).max(1000).nullish(),
  }),
});
export type BambooHrWebhook = z.infer<typeof bambooHrWebhookSchema>;

/** `GET /api/v1/employees/{id}`: `id` always, other fields only when asked for and visible. */
export const bambooHrEmployeeSchema = z.looseObject({ id: bambooId });
export type BambooHrEmployee = z.infer<typeof bambooHrEmployeeSchema>;
