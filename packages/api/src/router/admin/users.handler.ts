import { appendAudit } from "../../audit.ts";
import { AppError, done, success } from "../../envelope.ts";
import { decodeCursor, toPage } from "../../pagination.ts";
import { collectMatching, literalSearch } from "../../search.ts";
import type { AuthedCall as Call, Context } from "../../trpc.ts";
import { toCurrentUser } from "../auth/users.ts";
import { type listUsersInput, type updateUserInput, type userIdInput, usersCursor } from "./admin.schema.ts";
import { keepAnActiveAdmin, serializable } from "./guard.ts";

type FindMany = NonNullable<Parameters<Context["services"]["db"]["prisma"]["user"]["findMany"]>[0]>;
type Where = NonNullable<FindMany["where"]>;
type UserRow = Awaited<ReturnType<Context["services"]["db"]["prisma"]["user"]["findUniqueOrThrow"]>>;

const userNotFound = () => new AppError("USER_NOT_FOUND", "User not found.");

const toAdminUser = (user: UserRow) => ({ ...toCurrentUser(user), is_active: user.isActive });

/** Ordered by the lower-cased username (unique, indexed, code-point order on both databases), one page at a time. */
export async function listUsers({ ctx, input }: Call<typeof listUsersInput>) {
  // usernameKey and email are stored lower-cased, which is what the search compares with.
  const search = literalSearch(input.q, ["usernameKey", "email"] as const);
  const active = input.is_active === undefined ? undefined : input.is_active === "true";
  const filter: Where = {
    ...(input.role && { role: input.role }),
    ...(active !== undefined && { isActive: active }),
    ...search.where,
  };
  // One row past the page tells whether another page follows.
  const rows = await collectMatching({
    wanted: input.limit + 1,
    after: decodeCursor(input.cursor, usersCursor)?.after,
    search,
    read: (after, take) =>
      ctx.services.db.prisma.user.findMany({
        where: { AND: [filter, ...(after !== undefined ? [{ usernameKey: { gt: after } }] : [])] },
        orderBy: { usernameKey: "asc" },
        take,
      }),
    positionOf: (row) => row.usernameKey,
  });
  return success(toPage(rows, input.limit, toAdminUser, (row) => ({ after: row.usernameKey })));
}

export async function getUser({ ctx, input }: Call<typeof userIdInput>) {
  const user = await ctx.services.db.prisma.user.findUnique({ where: { id: input.user_id } });
  if (!user) throw userNotFound();
  const [dataEntries, tasks, activeSessions] = await Promise.all([
    ctx.services.db.prisma.dataEntry.count({ where: { ownerId: user.id } }),
    ctx.services.db.prisma.task.count({ where: { ownerId: user.id } }),
    ctx.services.db.prisma.session.count({ where: { userId: user.id, revokedAt: null, expiresAt: { gt: new Date() } } }),
  ]);
  return success({ ...toAdminUser(user), counts: { data_entries: dataEntries, tasks, active_sessions: activeSessions } });
}

/**
 * Changes role and/or is_active. Deactivating revokes every session of the user in the same transaction,
 * so their access and refresh tokens stop working at once (the auth check also refuses inactive users).
 */
export async function updateUser({ ctx, input }: Call<typeof updateUserInput>) {
  const updated = await serializable(ctx, async (tx) => {
    const before = await tx.user.findUnique({ where: { id: input.user_id } });
    if (!before) throw userNotFound();
    const next = { role: input.role ?? before.role, isActive: input.is_active ?? before.isActive };
    await keepAnActiveAdmin(tx, before, next);
    const after = await tx.user.update({ where: { id: before.id }, data: next });
    const revoked = next.isActive
      ? 0
      : (await tx.session.updateMany({ where: { userId: before.id, revokedAt: null }, data: { revokedAt: new Date() } })).count;
    const changes = {
      ...(next.role !== before.role && { role: { from: before.role, to: next.role } }),
      ...(next.isActive !== before.isActive && { is_active: { from: before.isActive, to: next.isActive } }),
    };
    await appendAudit(tx, ctx.request, {
      actorId: ctx.auth.user.id,
      action: "admin.user.updated",
      targetId: before.id,
      details: { username: before.username, changes, revoked_sessions: revoked },
    });
    return after;
  });
  return success(toAdminUser(updated), "User updated.");
}

/**
 * Deletes the user; their sessions, refresh tokens, data, tasks and products (with their categories and image
 * records) go with them (ON DELETE CASCADE), in the same transaction; the image files once it has committed.
 * An admin may delete themself unless they are the last active admin.
 */
export async function deleteUser({ ctx, input }: Call<typeof userIdInput>) {
  const imageKeys = await serializable(ctx, async (tx) => {
    const target = await tx.user.findUnique({ where: { id: input.user_id } });
    if (!target) throw userNotFound();
    await keepAnActiveAdmin(tx, target, null);
    const images = await tx.productImage.findMany({ where: { product: { sellerId: target.id } }, select: { storageKey: true } });
    await tx.user.delete({ where: { id: target.id } });
    // The username stays in the log (the row it named is gone); the email, personal data, does not.
    await appendAudit(tx, ctx.request, {
      actorId: ctx.auth.user.id,
      action: "admin.user.deleted",
      targetId: target.id,
      details: { username: target.username, role: target.role },
    });
    return images.map((image) => image.storageKey);
  });
  for (const key of imageKeys) await ctx.services.images.remove(key);
  return done("User deleted.");
}
