export {
  MongoConversationReferenceStore,
  conversationReferenceInputSchema,
  getConversationReferenceModel,
  type ConversationReferenceInput,
  type ConversationReferenceRecord,
  type ConversationReferenceStore,
  type MongoConversationReferenceStoreOptions,
} from './conversationReferences';
export {
  TicketUpdateNotifier,
  httpStatusOf,
  type DeliverFunction,
  type Notifier,
  type NotifyOutcome,
  type TicketUpdateNotifierOptions,
} from './notifier';
export { MongoPendingUpdateStore, type PendingReason, type PendingUpdateStore } from './pendingUpdates';
export {
  ticketUpdateFor,
  ticketUpdateFromEvent,
  type TicketUpdate,
  type TicketUpdateKind,
} from './ticketUpdate';
export {
  AccessRequestNotifier,
  type AccessDeliverFunction,
  type AccessMessage,
  type AccessRequestNotifierOptions,
} from './accessRequests';
