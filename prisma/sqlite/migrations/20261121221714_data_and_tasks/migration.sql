-- Key-value data and tasks.
-- Listing queries and the index each one range-scans:
--   GET /api/data (ordered by key, prefix as a key range)  -> the primary key ("owner_id", "key")
--   GET /api/tasks sort=created_at / -created_at            -> tasks_owner_id_created_at_id_idx
--   GET /api/tasks sort=due_date / -due_date                -> tasks_owner_id_due_date_id_idx
--                                                              (dated tasks first, then the undated ones by id)
--   GET /api/tasks sort=priority / -priority                -> tasks_owner_id_priority_rank_id_idx
-- status, priority and q filter the rows of that one owner's range.

-- CreateTable
CREATE TABLE "data_entries" (
    "owner_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,

    PRIMARY KEY ("owner_id", "key"),
    CONSTRAINT "data_entries_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "tasks" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "owner_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'todo',
    "priority" TEXT NOT NULL DEFAULT 'medium',
    "priority_rank" INTEGER NOT NULL,
    "due_date" DATETIME,
    "title_search" TEXT NOT NULL,
    "description_search" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "tasks_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "tasks_owner_id_created_at_id_idx" ON "tasks"("owner_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "tasks_owner_id_due_date_id_idx" ON "tasks"("owner_id", "due_date", "id");

-- CreateIndex
CREATE INDEX "tasks_owner_id_priority_rank_id_idx" ON "tasks"("owner_id", "priority_rank", "id");
