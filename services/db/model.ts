import type { Connection, Model, Schema, mongo } from 'mongoose';

/**
 * The model `name` on this connection, registered on first use. Models live on a connection,
 * never on the global mongoose, so tests and benchmarks can hold several databases at once.
 */
export function modelOn<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  const existing = connection.models[name] as unknown as Model<T> | undefined;
  return existing ?? connection.model<T>(name, schema);
}

/**
 * The driver's collection under a model, typed with the model's documents. For the writes and
 * reads every turn makes, where the documents are built whole by the caller: mongoose would
 * build, cast and validate a document (or a query) for each, which costs more CPU than the
 * round trip itself. The collection is mongoose's wrapper, so connection handling is the same.
 */
export function driverCollection<T extends mongo.Document>(model: Model<T>): mongo.Collection<T> {
  return model.collection as unknown as mongo.Collection<T>;
}
