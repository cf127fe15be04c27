import type { Clock } from '../shared/clock.js';
import type { Secret } from '../shared/secret.js';

/** Why a delivery was refused, and the HTTP status to answer with (decided here, once). */
export const WEBHOOK_REJECTION = {
  missingHeaders: { code: 'missing_headers', status: 400 },
  ambiguousHeaders: { code: 'ambiguous_headers', status: 400 },
  badWebhookId: { code: 'bad_webhook_id', status: 400 },
  badTimestamp: { code: 'bad_timestamp', status: 400 },
  badBody: { code: 'bad_body', status: 400 },
  staleTimestamp: { code: 'stale_timestamp', status: 401 },
  badSignature: { code: 'bad_signature', status: 401 },
  bodyTooLarge: { code: 'body_too_large', status: 413 },
  unsupportedMediaType: { code: 'unsupported_media_type', status: 415 },
  unsupportedEncoding: { code: 'unsupported_content_encoding', status: 415 },
} as const;
type Rejections = (typeof WEBHOOK_REJECTION)[keyof typeof WEBHOOK_REJECTION];
export type WebhookRejectionCode = Rejections['code'];

/** A refused delivery; `message` is safe to return to the caller and to log. */
export interface WebhookRejection {
  readonly status: Rejections['status'];
  readonly code: WebhookRejectionCode;
  readonly message: string;
}

export type VerifyResult =
  | {
      readonly ok: true;
      readonly webhookId: string;
      /** The signed `webhook-timestamp`, Unix seconds. */
      readonly timestamp: number;
      /** The verified body as text (UTF-8 decoded when it came as bytes). */
      readonly body: string;
    }
  | { readonly ok: false; readonly error: WebhookRejection };

export type WebhookHeaderRecord = Readonly<Record<string, string | undefined>>;

export interface WebhookVerifier {
  /** Never throws: every outcome is a VerifyResult. */
  verify(headers: WebhookHeaderRecord, rawBody: string | Uint8Array): VerifyResult;
}

export interface WebhookVerifierOptions {
  /** Active secrets (rotation: old and new side by side); a signature from any of them passes. */
  readonly secrets: readonly Secret[];
  /** Accepted distance between `webhook-timestamp` and now, both ways (default 300). */
  readonly toleranceSeconds?: number;
  /** Larger bodies are refused before any HMAC work (default and maximum 252 KiB). */
  readonly maxBodyBytes?: number;
  readonly clock?: Clock;
}

/** The three Standard Webhooks headers, as sent by signWebhook (a type, so it fits a header record). */
export type WebhookSignatureHeaders = {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
};
