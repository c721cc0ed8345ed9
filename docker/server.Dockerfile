# The embedded platform (every service in one process, SQLite in /data) as one image.
# Build from the repository root: docker build -f docker/server.Dockerfile -t hostlink/server .
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOSTLINK_DATA_DIR=/data HOSTLINK_HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /src /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080 8200 8201
HEALTHCHECK --interval=15s --timeout=5s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HOSTLINK_GATEWAY_PORT || 8080) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/server/dist/main.js"]
