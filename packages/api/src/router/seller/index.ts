import { nonAdminProcedure, router } from "../../trpc.ts";
import { onboard } from "./onboard.handler.ts";
import { onboardInput, onboardOutput } from "./seller.schema.ts";

const tags = ["seller"];

export const sellerRouter = router({
  onboard: nonAdminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/seller/onboard",
        tags,
        summary: "Become a seller, at once",
        description:
          "Any signed-in user who is not yet a seller. Admins moderate but do not sell: 403 FORBIDDEN. A user whose role an " +
          "admin took away is 403 FORBIDDEN too, until an admin gives a role back.",
      },
      successStatus: 201,
      errors: ["FORBIDDEN", "INVALID_REQUEST", "ALREADY_SELLER"],
    })
    .input(onboardInput)
    .output(onboardOutput)
    .mutation(onboard),
});
