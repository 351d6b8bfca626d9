/** Why a provider (Twilio, SMTP) did not take a notification: the page falls through to the next rule. */
export class ProviderFailure extends Error {
  override readonly name = 'ProviderFailure';
  constructor(
    /** `unavailable` (timeout, 5xx, connection refused) or `refused` (an undeliverable number, a bad address). */
    readonly kind: 'unavailable' | 'refused',
    /** The provider's code (Twilio's 21211, an SMTP reply code), or `timeout`, `http_<status>`; never the address. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind}: ${code}`, options);
  }
}
