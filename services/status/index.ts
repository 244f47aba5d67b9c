export {
  StatuspageStatusFeed,
  UnconfiguredStatusFeed,
  type ComponentStatus,
  type StatusComponent,
  type StatusFeed,
  type StatusIncident,
  type StatusIncidentUpdate,
  type StatusSummary,
  type StatuspageStatusFeedOptions,
} from './statusFeed';
