import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn, withDatabaseErrors } from '../../services/db';

interface ReceiptDocument {
  /** `<contact id>|<request id>`: the client's id for one action, per contact. */
  _id: string;
  action: string;
  at: Date;
}

const receiptSchema = new Schema<ReceiptDocument>(
  {
    _id: { type: String, required: true },
    action: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'tab_request_receipts', versionKey: false },
);

/**
 * Makes a tab action safe to receive twice (a retried POST, a double click): the first request
 * with a client-chosen id claims it with an insert on `_id`, the one thing FerretDB guarantees to
 * be unique under concurrency; a repeat finds the claim and does nothing. A claim whose action
 * failed is released, so that the user's retry does it.
 */
export class RequestReceipts {
  private readonly model: Model<ReceiptDocument>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.model = modelOn(connection, 'TabRequestReceipt', receiptSchema);
  }

  /** True when this request is new and now claimed; false when it was received before. */
  async claim(contactId: string, requestId: string, action: string): Promise<boolean> {
    return await withDatabaseErrors('Tab requests', async () => {
      try {
        await this.model.create({ _id: `${contactId}|${requestId}`, action, at: this.clock() });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    });
  }

  async release(contactId: string, requestId: string): Promise<void> {
    await withDatabaseErrors('Tab requests', async () => {
      await this.model.deleteOne({ _id: `${contactId}|${requestId}` }).exec();
    });
  }
}
