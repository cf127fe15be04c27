import type { JSONObject } from '@aws-lambda-powertools/commons/types';
import { search } from '@aws-lambda-powertools/jmespath';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

const serviceName = 'meeting-lifecycle';
const correlationIdSearchFn = (expression: string, data: unknown) => search(expression, data as JSONObject);

/** Structured JSON logs (POWERTOOLS_LOG_LEVEL) for tools that wire the functions themselves. */
export const logger = new Logger({ serviceName, correlationIdSearchFn });

/**
 * A function's own logger and CloudWatch EMF metrics. In AWS a process runs one function; the
 * local stack runs all three in one process, so each has its own instances (no shared Lambda
 * context, no metrics flushed by another function) and every line names its function.
 */
export const observabilityFor = (functionName: string) => {
  const functionLogger = logger.createChild({ persistentKeys: { function: functionName } });
  return {
    logger: functionLogger,
    metrics: new Metrics({ namespace: 'MeetingLifecycle', serviceName, logger: functionLogger }),
  };
};
