// Payments: the system records THAT a registration is paid, refunded or waived, by whom or by
// which provider, and a reference. It never sees card data. `PaymentProvider` is the seam for an
// external provider; `manual` is the organiser marking payments by hand (no webhooks), and
// `signedWebhookProvider` accepts a provider-neutral JSON notice signed with HMAC-SHA256:
//
//   X-Payment-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
//
// Secrets come from PAYMENT_WEBHOOK_SECRETS ("provider:secret,other:secret") in config.server.ts.
import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError } from "../../platform/http/errors.ts";
import { PaymentWebhookBody } from "./schemas.ts";

export interface PaymentNotice {
  provider: string;
  /** The provider's id of this notice (webhooks are applied once per id). */
  noticeId: string;
  kind: "paid" | "refunded";
  registrationId: string;
  amountMinor: number;
  currency: string;
  reference: string | null;
}

export interface PaymentProvider {
  readonly name: string;
  /** Whether this provider can mark payments through a webhook. */
  readonly acceptsWebhooks: boolean;
  /** Verifies and parses a webhook request; throws 401 on a bad signature, 400 on a bad body. */
  parseWebhook(rawBody: string, headers: Headers, now?: Date): PaymentNotice;
}

export const SIGNATURE_HEADER = "x-payment-signature";
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The organiser records payments by hand (bank transfer, cash, invoice). */
export const manualPaymentProvider: PaymentProvider = {
  name: "manual",
  acceptsWebhooks: false,
  parseWebhook() {
    throw new AppError("not_found", "This payment provider has no webhook.");
  },
};

export function sign(secret: string, timestamp: number, rawBody: string): string {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
}

export function signedWebhookProvider(name: string, secret: string): PaymentProvider {
  return {
    name,
    acceptsWebhooks: true,
    parseWebhook(rawBody, headers, now = new Date()) {
      const header = headers.get(SIGNATURE_HEADER) ?? "";
      const parts = Object.fromEntries(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
      const t = Number(parts["t"]);
      const given = parts["v1"] ?? "";
      const bad = () => new AppError("unauthenticated", "The payment notice's signature is not valid.");
      if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(given)) throw bad();
      if (Math.abs(now.getTime() / 1000 - t) > SIGNATURE_TOLERANCE_SECONDS) throw bad();
      const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest();
      const actual = Buffer.from(given, "hex");
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw bad();
      let json: unknown;
      try {
        json = JSON.parse(rawBody);
      } catch {
        throw new AppError("malformed_json", "The payment notice is not JSON.");
      }
      const parsed = PaymentWebhookBody.safeParse(json);
      if (!parsed.success) throw new AppError("validation_failed", "The payment notice is not in the expected shape.", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
      const b = parsed.data;
      return { provider: name, noticeId: b.id, kind: b.type === "payment.succeeded" ? "paid" : "refunded", registrationId: b.registrationId, amountMinor: b.amountMinor, currency: b.currency, reference: b.reference ?? null };
    },
  };
}

/** Providers by name: `manual` plus one signed-webhook provider per configured secret. */
export function paymentProviders(secrets: ReadonlyMap<string, string>): Map<string, PaymentProvider> {
  const map = new Map<string, PaymentProvider>([["manual", manualPaymentProvider]]);
  for (const [name, secret] of secrets) if (name !== "manual") map.set(name, signedWebhookProvider(name, secret));
  return map;
}
