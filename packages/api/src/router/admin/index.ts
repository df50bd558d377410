import { adminProcedure, router } from "../../trpc.ts";
import {
  deletedOutput, listAuditInput, listAuditOutput, listUsersInput, listUsersOutput, updatedOutput, updateUserInput, userIdInput, userOutput,
} from "./admin.schema.ts";
import { listAudit } from "./audit.handler.ts";
import { deleteUser, getUser, listUsers, updateUser } from "./users.handler.ts";

const tags = ["admin"];

// Every route is adminProcedure: a signed-in user who is not an admin gets 403 FORBIDDEN.
export const adminRouter = router({
  users: router({
    list: adminProcedure
      .meta({
        openapi: {
          method: "GET",
          path: "/admin/users",
          tags,
          summary: "List users, ordered by username (case-insensitively), one page at a time",
          description: "Keyset pagination: pass next_cursor as cursor for the next page, with the same filters.",
        },
        errors: ["FORBIDDEN", "INVALID_REQUEST"],
      })
      .input(listUsersInput)
      .output(listUsersOutput)
      .query(listUsers),

    get: adminProcedure
      .meta({
        openapi: { method: "GET", path: "/admin/users/{user_id}", tags, summary: "One user, with counts of their data, tasks and live sessions" },
        errors: ["FORBIDDEN", "USER_NOT_FOUND"],
      })
      .input(userIdInput)
      .output(userOutput)
      .query(getUser),

    update: adminProcedure
      .meta({
        openapi: {
          method: "PATCH",
          path: "/admin/users/{user_id}",
          tags,
          summary: "Change a user's role and/or is_active",
          description:
            "Deactivating (is_active: false) revokes all the user's sessions at once. " +
            "Demoting or deactivating the last active admin is 409 LAST_ADMIN.",
        },
        errors: ["FORBIDDEN", "INVALID_REQUEST", "USER_NOT_FOUND", "LAST_ADMIN"],
      })
      .input(updateUserInput)
      .output(updatedOutput)
      .mutation(updateUser),

    delete: adminProcedure
      .meta({
        openapi: {
          method: "DELETE",
          path: "/admin/users/{user_id}",
          tags,
          summary: "Delete a user with all their data, tasks and sessions",
          description: "One transaction. Deleting the last active admin (yourself included) is 409 LAST_ADMIN.",
        },
        errors: ["FORBIDDEN", "USER_NOT_FOUND", "LAST_ADMIN"],
      })
      .input(userIdInput)
      .output(deletedOutput)
      .mutation(deleteUser),
  }),

  audit: router({
    list: adminProcedure
      .meta({
        openapi: {
          method: "GET",
          path: "/admin/audit",
          tags,
          summary: "The audit log of logins and admin actions, newest first",
          description: "Append-only. Keyset pagination: pass next_cursor as cursor for the next page, with the same filters.",
        },
        errors: ["FORBIDDEN", "INVALID_REQUEST"],
      })
      .input(listAuditInput)
      .output(listAuditOutput)
      .query(listAudit),
  }),
});
