-- CreateTable
CREATE TABLE "ConversationRef" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "userId" TEXT,
    "reference" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConversationRef_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChartImage" (
    "id" TEXT NOT NULL,
    "png" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChartImage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConversationRef_platform_userId_scope_idx" ON "ConversationRef"("platform", "userId", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "ConversationRef_platform_conversationId_key" ON "ConversationRef"("platform", "conversationId");

-- CreateIndex
CREATE INDEX "ChartImage_expiresAt_idx" ON "ChartImage"("expiresAt");
