# A relay instance: pairs client and host legs; each instance has its own public address.
# Build from the repository root: docker build -f docker/relay.Dockerfile -t hostlink/relay .
FROM node:20-bookworm-slim AS build
WORKDIR /src
# Compilers for the native addons that find no prebuilt binary.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# The relay's kernel-splice addon (apps/relay/native) is built here by its install script, against the
# image's own Node headers rather than ones downloaded at build time; the runtime stage gets the binary
# with apps/relay/build and no compiler.
ENV npm_config_nodedir=/usr/local
COPY . .
# Every dependency, dev ones included: the prepare script compiles every project.
RUN npm ci --no-audit --no-fund
# Then the relay's production dependencies alone. npm counts every workspace as a production dependency
# of the root, so a workspace's devDependencies (the test helpers) would bring theirs along: drop them.
# --ignore-scripts skips the root prepare script (its compiler is gone now); rebuild runs the native
# addons' own install scripts.
RUN find . -name node_modules -type d -prune -exec rm -rf {} + \
  && npm pkg delete devDependencies --workspaces \
  && npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w @hostlink/relay \
  && npm rebuild -w @hostlink/relay

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and run as node: the process cannot rewrite its own code.
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/libs ./libs
COPY --from=build /src/apps/relay ./apps/relay
USER node
EXPOSE 8200 9400
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.OPS_PORT || 9400) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/relay/dist/main.js"]
