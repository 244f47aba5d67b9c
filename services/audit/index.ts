export {
  MongoAuditLog,
  getAuditEventModel,
  type Actor,
  type AuditEvent,
  type AuditFilter,
  type AuditLog,
  type AuditRecordInput,
  type MongoAuditLogOptions,
} from './auditLog';
