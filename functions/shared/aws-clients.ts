import { createAwsLiteSqs } from '../../lib/queue/aws-lite-sqs.js';
import { type AwsTarget, localAwsTarget } from '../../lib/shared/aws-client.js';
import { createAwsLiteDynamo } from '../../lib/store/aws-lite-dynamo.js';

/** The function's region and role in AWS; a local endpoint (dynalite) with placeholder credentials. */
const targetOf = (endpoint?: string): AwsTarget => (endpoint ? localAwsTarget(endpoint) : {});

/** DynamoDB for the stores (aws-lite, created on the first call). */
export const createDynamo = (endpoint?: string) => createAwsLiteDynamo(targetOf(endpoint));

/** SQS for the queues and the DLQ (aws-lite, created on the first call). */
export const createSqs = (endpoint?: string) => createAwsLiteSqs(targetOf(endpoint));
