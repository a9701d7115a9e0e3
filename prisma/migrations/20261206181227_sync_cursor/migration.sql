-- CreateTable
CREATE TABLE "SyncCursor" (
    "source" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "cursor" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncCursor_pkey" PRIMARY KEY ("source","object")
);
