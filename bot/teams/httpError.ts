/** The Teams routes throw the one problem type of the HTTP surface (bot/httpError.ts). */
export { HttpError, isHttpError } from '../httpError';
