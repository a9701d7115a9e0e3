# kpi-bot container (issue 16). Two stages: `build` compiles node-canvas's native parts and
# generates the Prisma client; the final stage has only the runtime libraries, runs as the
# unprivileged `node` user, and applies migrations on start (adapters/main.ts does, as always).
# Steps are project scripts, exercised on the host by test/ops/container.test.ts.

FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential python3 pkg-config \
      libcairo2-dev libpango1.0-dev libjpeg62-turbo-dev libgif-dev librsvg2-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
# postinstall generates the Prisma client (scripts/prisma-generate.mjs)
RUN npm ci
RUN npm run container:build

FROM node:20-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcairo2 libpango-1.0-0 libpangocairo-1.0-0 \
      libjpeg62-turbo libgif7 librsvg2-2 tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000 KPI_DATA_DIR=/data KPI_SHUTDOWN_GRACE_S=20
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
# tini forwards SIGTERM to node (graceful shutdown) and reaps children.
ENTRYPOINT ["tini", "--"]
CMD ["node", "--import", "tsx", "adapters/main.ts"]
