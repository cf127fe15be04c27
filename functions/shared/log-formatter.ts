import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import type { LoggingConfig } from '../../lib/config/logging-config.js';

/**
 * Powertools' JSON log layout, with errors logged as name, message, location, own fields and
 * cause, but without `stack` unless stack traces are asked for (`DEBUG=1`, lib/config
 * logging-config.ts): no stack traces in production logs. Powertools calls `formatError` for
 * every Error it serialises, and for each cause through this override, so a cause (or an error
 * nested in a field) loses its stack too.
 *
 * `formatAttributes` repeats Powertools' default layout (its PowertoolsLogFormatter is not
 * exported), so the lines keep the same keys, in the same order.
 */
export class ErrorLogFormatter extends LogFormatter {
  readonly #stackTraces: boolean;

  constructor(config: LoggingConfig) {
    super();
    this.#stackTraces = config.stackTraces;
  }

  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: context?.coldStart,
        function_arn: context?.invokedFunctionArn,
        function_memory_size: context?.memoryLimitInMB,
        function_name: context?.functionName,
        function_request_id: context?.awsRequestId,
        sampling_rate: attributes.sampleRateValue,
        xray_trace_id: attributes.xRayTraceId,
        tenant_id: context?.tenantId,
      },
    }).addAttributes(additional);
  }

  override formatError(error: Error): LogAttributes {
    const formatted = super.formatError(error);
    if (this.#stackTraces) return formatted;
    const { stack: _, ...withoutStack } = formatted;
    return withoutStack;
  }
}
