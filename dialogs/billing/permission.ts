import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { KnownContact, ResolvedIdentity } from '../../services/identity';
import type { BillingResult } from '../billingAssistantDialog';
import { t, type Locale } from '../texts';

/** Why the assistant could not open a billing ticket for this user. */
export type BillingRefusal = 'sign_in' | 'not_a_contact' | 'not_authorized';

export type Permission =
  | { kind: 'allowed'; known: KnownContact }
  | { kind: 'refused'; refusal: BillingRefusal; known?: KnownContact };

/** Who may open a billing ticket: authorized contacts (a lapsed support plan does not matter). */
export function billingPermission(identity: ResolvedIdentity): Permission {
  switch (identity.kind) {
    case 'anonymous':
      return { kind: 'refused', refusal: 'sign_in' };
    case 'unknown':
      return { kind: 'refused', refusal: 'not_a_contact' };
    case 'contact':
      // A lapsed support plan does not stop billing questions: renewing it is one of them.
      return identity.contact.authorized
        ? { kind: 'allowed', known: identity }
        : { kind: 'refused', refusal: 'not_authorized', known: identity };
  }
}

export function refusalText(locale: Locale, permission: Extract<Permission, { kind: 'refused' }>): string {
  switch (permission.refusal) {
    case 'sign_in':
      return t(locale, 'billing.signIn');
    case 'not_a_contact':
      return t(locale, 'billing.notAContact');
    case 'not_authorized': {
      const organisation = permission.known?.organisation;
      return t(locale, 'billing.notAuthorized', {
        organisation: organisation?.name ?? '',
        manager: organisation?.accountManager.name ?? '',
      });
    }
  }
}

/** Says why no billing ticket can be opened and ends the dialog with `not_allowed`. */
export async function refuse(
  step: WaterfallStepContext<object>,
  locale: Locale,
  permission: Extract<Permission, { kind: 'refused' }>,
): Promise<DialogTurnResult> {
  await step.context.sendActivity(refusalText(locale, permission));
  return await step.endDialog({
    outcome: 'not_allowed',
    refusal: permission.refusal,
  } satisfies BillingResult);
}
