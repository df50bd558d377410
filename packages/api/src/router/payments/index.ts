import { z } from "zod";
import { messageEnvelopeSchema } from "../../envelope.ts";
import { publicProcedure, router } from "../../trpc.ts";
import { receiveWebhook } from "./webhook.handler.ts";

const eventDescription =
  "A provider event `{id, type, created, data: {charge_id, order_id, amount_cents, currency, decline_code?}}`, type " +
  "charge.succeeded, charge.failed or charge.refunded (other types are acknowledged and ignored). Signed: " +
  "`Tessera-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" with WEBHOOK_SECRET>`, at most 5 minutes old.";

export const paymentsRouter = router({
  webhook: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/payments/webhook",
        tags: ["payments"],
        summary: "Receive a payment provider event",
        description: eventDescription,
        protect: false,
        requestHeaders: z.object({ "tessera-signature": z.string().meta({ description: "t=<unix seconds>,v1=<hex>" }) }),
      },
      errors: ["INVALID_SIGNATURE"],
    })
    // The event is read from the signed bytes (webhook.handler.ts), never before its signature is checked.
    .input(z.looseObject({}).meta({ description: eventDescription }))
    .output(messageEnvelopeSchema("Event received."))
    .mutation(receiveWebhook),
});
