-- CreateTable
CREATE TABLE "DatasetMark" (
    "key" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DatasetMark_pkey" PRIMARY KEY ("key")
);

-- A database that already holds people has held data: the demo never loads into it by itself.
INSERT INTO "DatasetMark" ("key") SELECT 'held-data' WHERE EXISTS (SELECT 1 FROM "User");
