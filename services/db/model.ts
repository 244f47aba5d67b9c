import type { Connection, Model, Schema } from 'mongoose';

/**
 * The model `name` on this connection, registered on first use. Models live on a connection,
 * never on the global mongoose, so tests and benchmarks can hold several databases at once.
 */
export function modelOn<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  const existing = connection.models[name] as unknown as Model<T> | undefined;
  return existing ?? connection.model<T>(name, schema);
}
