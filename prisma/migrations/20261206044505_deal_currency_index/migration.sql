-- CreateIndex
CREATE INDEX "Deal_currency_idx" ON "Deal"("currency");
