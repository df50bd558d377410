import { done, success } from "../../envelope.ts";
import { protectedProcedure, publicProcedure, router } from "../../trpc.ts";
import {
  credentialCodes, logoutOutput, meOutput, refreshInput, registerCodes, registerInput, registerOutput, tokenInput, tokenOutput,
} from "./auth.schema.ts";
import { refresh } from "./refresh.handler.ts";
import { register } from "./register.handler.ts";
import { revokeSession } from "./sessions.ts";
import { token } from "./token.handler.ts";
import { toCurrentUser } from "./users.ts";

const tags = ["auth"];

const tokenProcedure = (path: "/token" | "/login", summary: string) =>
  publicProcedure
    .meta({
      openapi: { method: "POST", path, tags, summary, protect: false },
      fieldCodes: credentialCodes,
      errors: ["MISSING_FIELDS", "INVALID_REQUEST", "INVALID_CREDENTIALS", "RATE_LIMITED", "NOT_READY"],
    })
    .input(tokenInput)
    .output(tokenOutput)
    .mutation(token);

export const authRouter = router({
  register: publicProcedure
    .meta({
      openapi: { method: "POST", path: "/register", tags, summary: "Create an account", protect: false },
      successStatus: 201,
      fieldCodes: registerCodes,
      errors: ["INVALID_REQUEST", "INVALID_PASSWORD", "INVALID_AGE", "GENDER_REQUIRED", "USERNAME_EXISTS", "EMAIL_EXISTS", "RATE_LIMITED", "NOT_READY"],
    })
    .input(registerInput)
    .output(registerOutput)
    .mutation(register),

  token: tokenProcedure("/token", "Log in: exchange a username (or email) and password for tokens"),
  login: tokenProcedure("/login", "Alias of POST /api/token"),

  refresh: publicProcedure
    .meta({
      openapi: { method: "POST", path: "/token/refresh", tags, summary: "Rotate a refresh token for a new token pair", protect: false },
      fieldCodes: credentialCodes,
      errors: ["MISSING_FIELDS", "INVALID_TOKEN"],
    })
    .input(refreshInput)
    .output(tokenOutput)
    .mutation(refresh),

  logout: protectedProcedure
    .meta({ openapi: { method: "POST", path: "/logout", tags, summary: "End the current login session" }, errors: ["INVALID_TOKEN"] })
    .output(logoutOutput)
    .mutation(async ({ ctx }) => {
      await revokeSession(ctx, ctx.auth.sessionId);
      return done("Logged out.");
    }),

  me: protectedProcedure
    .meta({ openapi: { method: "GET", path: "/me", tags, summary: "The current user" }, errors: ["INVALID_TOKEN"] })
    .output(meOutput)
    .query(({ ctx }) => success(toCurrentUser(ctx.auth.user))),
});
