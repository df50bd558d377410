import { appendAudit } from "../../audit.ts";
import { AppError, done, success } from "../../envelope.ts";
import { decodeCursor, toPage } from "../../pagination.ts";
import { containsText } from "../../search.ts";
import type { AuthedCall } from "../../trpc.ts";
import { toCurrentUser, type UserRow } from "../auth/users.ts";
import { type listUsersInput, type updateUserInput, type userIdInput, usersCursor } from "./admin.schema.ts";
import { keepAnActiveAdmin } from "./guard.ts";

const userNotFound = () => new AppError("USER_NOT_FOUND", "User not found.");

const toAdminUser = (user: UserRow) => ({ ...toCurrentUser(user), is_active: user.is_active });

/** Ordered by the lower-cased username (unique, indexed, code-point order on both databases), one page at a time. */
export async function listUsers({ ctx, input }: AuthedCall<typeof listUsersInput>) {
  const after = decodeCursor(input.cursor, usersCursor)?.after;
  let query = ctx.services.db.kysely.selectFrom("users").selectAll();
  if (input.role) query = query.where("role", "=", input.role);
  if (input.is_active !== undefined) query = query.where("is_active", "=", input.is_active);
  const { q } = input;
  // username_key and email are stored lower-cased, which is what the search compares with.
  if (q) query = query.where((eb) => containsText(eb, ["username_key", "email"], q));
  if (after !== undefined) query = query.where("username_key", ">", after);
  // One row past the page tells whether another page follows.
  const rows = await query.orderBy("username_key").limit(input.limit + 1).execute();
  return success(toPage(rows, input.limit, toAdminUser, (row) => ({ after: row.username_key })));
}

/** The user with the counts of what they have, in one statement. */
export async function getUser({ ctx, input }: AuthedCall<typeof userIdInput>) {
  const user = await ctx.services.db.kysely
    .selectFrom("users")
    .selectAll("users")
    .select((eb) => [
      eb.selectFrom("data_entries").select(eb.fn.countAll<number>().as("n")).whereRef("owner_id", "=", "users.id").as("data_entries"),
      eb.selectFrom("tasks").select(eb.fn.countAll<number>().as("n")).whereRef("owner_id", "=", "users.id").as("tasks"),
      eb
        .selectFrom("sessions")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("user_id", "=", "users.id")
        .where("revoked_at", "is", null)
        .where("expires_at", ">", new Date())
        .as("active_sessions"),
    ])
    .where("users.id", "=", input.user_id)
    .executeTakeFirst();
  if (!user) throw userNotFound();
  const counts = { data_entries: Number(user.data_entries), tasks: Number(user.tasks), active_sessions: Number(user.active_sessions) };
  return success({ ...toAdminUser(user), counts });
}

/**
 * Admin decisions about roles stick (issue 16, item 11): taking a seller's (or an admin's) role away records the
 * admin in `demoted_by`, which keeps the user from onboarding as a seller again; giving a role back clears it.
 */
function demotionRecord(before: UserRow, role: string, adminId: string): { demoted_by?: string | null } {
  if (role === before.role) return {};
  if (role === "user") return { demoted_by: adminId };
  return { demoted_by: null };
}

/**
 * Changes role and/or is_active. Deactivating revokes every session of the user in the same transaction,
 * so their access and refresh tokens stop working at once (the auth check also refuses inactive users).
 */
export async function updateUser({ ctx, input }: AuthedCall<typeof updateUserInput>) {
  const updated = await ctx.services.db.transaction(
    async (tx) => {
      const before = await tx.selectFrom("users").selectAll().where("id", "=", input.user_id).executeTakeFirst();
      if (!before) throw userNotFound();
      const next = { role: input.role ?? before.role, is_active: input.is_active ?? before.is_active };
      await keepAnActiveAdmin(tx, before, next);
      const after = await tx
        .updateTable("users")
        .set({ ...next, ...demotionRecord(before, next.role, ctx.auth.user.id) })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      let revoked = 0;
      if (!next.is_active) {
        const { numUpdatedRows } = await tx
          .updateTable("sessions")
          .set({ revoked_at: new Date() })
          .where("user_id", "=", before.id)
          .where("revoked_at", "is", null)
          .executeTakeFirst();
        revoked = Number(numUpdatedRows);
      }
      const changes = {
        ...(next.role !== before.role && { role: { from: before.role, to: next.role } }),
        ...(next.is_active !== before.is_active && { is_active: { from: before.is_active, to: next.is_active } }),
      };
      await appendAudit(tx, ctx.request, {
        actorId: ctx.auth.user.id,
        action: "admin.user.updated",
        targetId: before.id,
        details: { username: before.username, changes, revoked_sessions: revoked },
      });
      return after;
    },
    { isolation: "serializable" },
  );
  return success(toAdminUser(updated), "User updated.");
}

/**
 * Deletes the user; their sessions, refresh tokens, data, tasks and products (with their categories and image
 * records) go with them (ON DELETE CASCADE), in the same transaction; the image files once it has committed.
 * An admin may delete themself unless they are the last active admin.
 */
export async function deleteUser({ ctx, input }: AuthedCall<typeof userIdInput>) {
  const imageKeys = await ctx.services.db.transaction(
    async (tx) => {
      const target = await tx.selectFrom("users").selectAll().where("id", "=", input.user_id).executeTakeFirst();
      if (!target) throw userNotFound();
      await keepAnActiveAdmin(tx, target, null);
      const images = await tx
        .selectFrom("product_images")
        .innerJoin("products", "products.id", "product_images.product_id")
        .select("product_images.storage_key")
        .where("products.seller_id", "=", target.id)
        .execute();
      await tx.deleteFrom("users").where("id", "=", target.id).execute();
      // The username stays in the log (the row it named is gone); the email, personal data, does not.
      await appendAudit(tx, ctx.request, {
        actorId: ctx.auth.user.id,
        action: "admin.user.deleted",
        targetId: target.id,
        details: { username: target.username, role: target.role },
      });
      return images.map((image) => image.storage_key);
    },
    { isolation: "serializable" },
  );
  // Committed: the bytes go now, or, if the storage fails, with the image sweep's next run (never a 500 after the fact).
  await ctx.services.imageSweep.removeOrphans(imageKeys);
  return done("User deleted.");
}
