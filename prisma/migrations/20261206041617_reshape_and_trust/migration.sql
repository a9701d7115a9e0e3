-- CreateEnum
CREATE TYPE "TeamFunction" AS ENUM ('sales', 'service', 'marketing');

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "function" "TeamFunction";

-- CreateTable
CREATE TABLE "ExchangeRate" (
    "currency" CHAR(3) NOT NULL,
    "base" CHAR(3) NOT NULL,
    "month" DATE NOT NULL,
    "rate" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "ExchangeRate_pkey" PRIMARY KEY ("currency","base","month")
);

-- CreateTable
CREATE TABLE "SeenRequest" (
    "key" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SeenRequest_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "SeenRequest_expiresAt_idx" ON "SeenRequest"("expiresAt");
