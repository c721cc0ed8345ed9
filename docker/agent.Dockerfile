# The agent: makes the machine (here, the container and the folders mounted into it) a Hostlink host.
# Build from the repository root: docker build -f docker/agent.Dockerfile -t hostlink/agent .
# Enroll once, then run; the config lives in the /config volume:
#   docker run --rm -it -v hostlink-agent:/config -v "$PWD/shared:/shares/shared:ro" hostlink/agent \
#     enroll --server https://hostlink.example.com --token TOKEN --share /shares/shared
#   docker run -d -v hostlink-agent:/config -v "$PWD/shared:/shares/shared:ro" hostlink/agent
FROM node:20-bookworm-slim AS build
WORKDIR /src
# Compilers for the native addons that find no prebuilt binary.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
# Every dependency, dev ones included: the prepare script compiles every project.
RUN npm ci --no-audit --no-fund
# Then the agent's production dependencies alone. npm counts every workspace as a production dependency
# of the root, so a workspace's devDependencies (the test helpers) would bring theirs along: drop them.
# --ignore-scripts skips the root prepare script (its compiler is gone now); rebuild runs the native
# addons' own install scripts.
RUN find . -name node_modules -type d -prune -exec rm -rf {} + \
  && npm pkg delete devDependencies --workspaces \
  && npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w @hostlink/agent \
  && npm rebuild -w @hostlink/agent

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOSTLINK_AGENT_HOME=/config
WORKDIR /app
# Owned by root and run as node: the process cannot rewrite its own code.
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/libs ./libs
COPY --from=build /src/apps/agent ./apps/agent
RUN mkdir -p /config && chown node:node /config
USER node
VOLUME ["/config"]
# Direct (LAN) connections; the agent reaches poll and relays itself, so nothing else listens.
EXPOSE 53000-53010
# The V8 flag is the one in the shebang of apps/agent/src/main.ts (why: the comment there).
ENTRYPOINT ["node", "--initial-old-space-size=64", "apps/agent/dist/main.js"]
CMD ["run"]
