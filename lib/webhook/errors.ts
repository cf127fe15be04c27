export const WEBHOOK_ERROR_KIND = {
  /** Bad secrets or verifier options: a deployment problem, fix the configuration. */
  config: 'config',
  /** Bad arguments to a local tool such as signWebhook. */
  input: 'input',
} as const;
export type WebhookErrorKind = (typeof WEBHOOK_ERROR_KIND)[keyof typeof WEBHOOK_ERROR_KIND];

/** Base error of lib/webhook. Messages never contain secrets or signatures. */
export class WebhookError extends Error {
  override readonly name: string = 'WebhookError';
  readonly kind: WebhookErrorKind;

  constructor(message: string, kind: WebhookErrorKind, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

export class WebhookConfigError extends WebhookError {
  override readonly name = 'WebhookConfigError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, WEBHOOK_ERROR_KIND.config, options);
  }
}
