export { connectDatabase, pingDatabase, redactUri, type DatabaseOptions } from './connection';
export {
  startEmbeddedDatabase,
  freePort,
  type EmbeddedDatabase,
  type EmbeddedDatabaseOptions,
  hasIdIndexFix,
} from './embedded';
export { MongoBotStorage, getBotStateModel, isDuplicateKey } from './botStateStorage';
export { driverCollection, modelOn } from './model';
export { retryOnDuplicate, withDatabaseErrors } from './guards';
export { DeliveryGuard, type DeliveryClaim } from './deliveryGuard';
export { OperationCounter, type OperationCount } from './operationCounter';
export { ReplicaRegistry, type ReplicaRegistryOptions } from './replicaRegistry';
export { keyLinkModel, keyTarget, writeKeyLinks, type KeyLinkDocument } from './keyLinks';
