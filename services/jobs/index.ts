export {
  MongoLeaseJob,
  getJobLeaseModel,
  type BackgroundJob,
  type LeaseRunOutcome,
  type MongoLeaseJobOptions,
} from './leaseJob';
export {
  LIFECYCLE_JOB_NAME,
  createLifecycleJob,
  type LifecycleJobOptions,
  type LifecycleJobResult,
} from './lifecycleJob';
export { RETENTION_JOB_NAME, createRetentionJob, type RetentionJobOptions } from './retentionJob';
