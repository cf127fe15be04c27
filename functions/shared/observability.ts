import type { JSONObject } from '@aws-lambda-powertools/commons/types';
import { search } from '@aws-lambda-powertools/jmespath';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

const serviceName = 'meeting-lifecycle';

/** Structured JSON logs (POWERTOOLS_LOG_LEVEL) and CloudWatch EMF metrics, one of each per process. */
export const logger = new Logger({
  serviceName,
  correlationIdSearchFn: (expression, data) => search(expression, data as JSONObject),
});
export const metrics = new Metrics({ namespace: 'MeetingLifecycle', serviceName });
