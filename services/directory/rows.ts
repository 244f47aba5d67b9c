import { z } from 'zod';

const required = (what: string) => z.string().trim().min(1, `${what} is missing`);
const optional = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));
const email = (what: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .min(1, `${what} is missing`)
    .pipe(z.email(`${what} is not an email address`));
const flag = (what: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ['true', 'false', 'yes', 'no', '1', '0', ''].includes(v), `${what} must be true or false`)
    .transform((v) => v === 'true' || v === 'yes' || v === '1');
const dateOrEmpty = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))), {
      message: `${what} must be a date written YYYY-MM-DD, or empty`,
    })
    .transform((v) => (v ? new Date(`${v}T00:00:00.000Z`) : null));
const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(/[;,]/)
      .map((part) => part.trim())
      .filter(Boolean),
  );
const locale = z
  .string()
  .trim()
  .toLowerCase()
  .optional()
  .transform((v) => (v ? v.slice(0, 2) : undefined))
  .refine((v) => v === undefined || v === 'en' || v === 'fr', 'locale must be en or fr');

/** A line of an organisations file (CSV columns or JSONL keys). */
export const organisationRowSchema = z.object({
  id: required('id').pipe(z.string().max(100, 'id is longer than 100 characters')),
  name: required('name').pipe(z.string().max(200, 'name is longer than 200 characters')),
  tenantId: list,
  emailDomains: list.transform((d) => d.map((x) => x.toLowerCase())),
  accountManagerName: required('accountManagerName'),
  accountManagerEmail: email('accountManagerEmail'),
  supportPlanUntil: dateOrEmpty('supportPlanUntil').default(null),
  locale,
});
export type OrganisationRow = z.output<typeof organisationRowSchema>;

/** A line of a contacts file; `id`, `phone` and `webSubject` are optional extra columns. */
export const contactRowSchema = z.object({
  organisationId: required('organisationId'),
  email: email('email'),
  name: required('name').pipe(z.string().max(200, 'name is longer than 200 characters')),
  aadObjectId: optional,
  authorized: flag('authorized'),
  certifiedAdminUntil: dateOrEmpty('certifiedAdminUntil').default(null),
  reachable24x7: flag('reachable24x7').default(false),
  locale,
  id: optional,
  phone: optional,
  webSubject: optional,
});
export type ContactRow = z.output<typeof contactRowSchema>;

export const ORGANISATION_COLUMNS = ['id', 'name', 'accountManagerName', 'accountManagerEmail'];
export const CONTACT_COLUMNS = ['organisationId', 'email', 'name', 'authorized'];

/** The issues of a failed parse as one short reason ("email is not an email address; ..."). */
export function reasonOf(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      if (issue.code === 'invalid_type') return `${field} is missing`;
      return issue.message.includes(field) || !field ? issue.message : `${field}: ${issue.message}`;
    })
    .join('; ');
}
