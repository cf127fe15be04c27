import type { GenericLogger } from '@aws-lambda-powertools/commons/types';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { parseLoggingConfig } from '../../lib/config/logging-config.js';
import { readEnvironment } from './environment.js';
import { ErrorLogFormatter } from './log-formatter.js';

const serviceName = 'meeting-lifecycle';

/**
 * Structured JSON logs (POWERTOOLS_LOG_LEVEL) for tools that wire the functions themselves. No
 * JMESPath search function: the HTTP functions set their correlation id from the request
 * (http-function.ts), and the worker and cleanup need none, so they do not load JMESPath.
 * Errors are logged without their stack unless DEBUG=1 (log-formatter.ts); every function's
 * logger is a child of this one and shares its formatter.
 */
export const logger = new Logger({
  serviceName,
  logFormatter: new ErrorLogFormatter(parseLoggingConfig(readEnvironment())),
});

/**
 * A function's own logger and CloudWatch EMF metrics. In AWS a process runs one function; the
 * local stack runs all three in one process, so each has its own instances (no shared Lambda
 * context, no metrics flushed by another function) and every line names its function.
 */
export const observabilityFor = (functionName: string) => {
  const functionLogger = logger.createChild({ persistentKeys: { function: functionName } });
  return {
    logger: functionLogger,
    metrics: new Metrics({
      namespace: 'MeetingLifecycle',
      serviceName,
      logger: withoutEmptyMetricsWarning(functionLogger),
    }),
  };
};

/**
 * Powertools warns "No application metrics to publish" after every invocation that recorded no
 * metric: for us a normal case (a webhook refusing a request, a flush with nothing to send), and
 * one log line per invocation of noise in CloudWatch and in `npm run dev`. Every other warning
 * passes.
 */
const withoutEmptyMetricsWarning = (log: Logger): GenericLogger => {
  const to =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...content: unknown[]) =>
      (log[level] as (...args: unknown[]) => void).apply(log, content);
  return {
    debug: to('debug'),
    info: to('info'),
    error: to('error'),
    warn: (...content: unknown[]) => {
      const message = content[0];
      if (typeof message === 'string' && message.startsWith('No application metrics to publish')) return;
      to('warn')(...content);
    },
  };
};
