import { MAX_MESSAGE_BODY_BYTES } from '../queue/types.js';

/** Most events one delivery may carry; larger batches are split by the sender. */
export const DEFAULT_MAX_EVENTS = 100;

/** A rejected delivery lists at most this many problems, so a hostile body cannot inflate the answer. */
export const MAX_DELIVERY_ERRORS = 50;

/** Error messages and quoted keys are cut to these lengths; values are never echoed. */
export const MAX_MESSAGE_CHARS = 200;
export const MAX_QUOTED_KEY_CHARS = 40;

/**
 * Default (and largest) size of a webhook body (WEBHOOK_MAX_BODY_BYTES) and the fixed limit of one
 * queue message body: what one SQS message carries beside a dead letter's attributes (252 KiB).
 * The webhook puts compact single events of a few KB on the queue, so only a direct producer can
 * come near it.
 */
export const DEFAULT_MAX_BODY_BYTES = MAX_MESSAGE_BODY_BYTES;
