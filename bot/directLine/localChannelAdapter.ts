import {
  ActivityTypes,
  CloudAdapter,
  type Activity,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder';

/**
 * The adapter of the local Direct Line channel. A reply to a conversation of this process's own
 * Direct Line goes straight to the Direct Line store (`deliver`), the same as its Bot Connector
 * route would take it but without a round trip over HTTP to this very process (an HTTP client
 * and an HTTP request per reply, measured at a fifth of a web chat turn's CPU). The activity is
 * passed as plain JSON, exactly what the HTTP route would have received. Everything else (another
 * service URL, delays, invoke responses) goes the SDK's own way.
 */
export class LocalChannelAdapter extends CloudAdapter {
  constructor(
    auth: ConstructorParameters<typeof CloudAdapter>[0],
    private readonly local: {
      /** The service URL of this process's Direct Line connector. */
      serviceUrl: () => string;
      deliver: (conversationId: string, activity: Record<string, unknown>) => Promise<string>;
    },
  ) {
    super(auth);
  }

  override async sendActivities(
    context: TurnContext,
    activities: Array<Partial<Activity>>,
  ): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      const conversationId = activity.conversation?.id;
      const local =
        conversationId &&
        activity.serviceUrl === this.local.serviceUrl() &&
        activity.type !== 'delay' &&
        activity.type !== ActivityTypes.InvokeResponse &&
        activity.type !== ActivityTypes.Trace;
      if (!local) {
        responses.push(...(await super.sendActivities(context, [activity])));
        continue;
      }
      delete activity.id;
      const json = JSON.parse(JSON.stringify(activity)) as Record<string, unknown>;
      responses.push({ id: await this.local.deliver(conversationId, json) });
    }
    return responses;
  }
}
