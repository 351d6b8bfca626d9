# Meridian: one image for the bot (`npm start`: Slack edge + workers) and for workers alone
# (`--worker`). Node 20 on Debian slim, production dependencies only, runs as the `node` user.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app

# Dependencies first, from the lock file exactly, as .ci/run installs them (without dev tools).
COPY package.json package-lock.json ./
# npm ci's postinstall applies patches/ (patch-package, a runtime dependency for that reason) and fails if one does not apply.
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# What the bot reads at run time: its source (run by tsx), migrations, config examples.
COPY tsconfig.json ./
COPY src ./src
COPY drizzle ./drizzle
COPY config ./config
COPY manifests ./manifests

USER node
EXPOSE 3000

# /healthz answers 200 when Postgres and Redis answer, 503 otherwise (both roles serve it).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# SIGTERM drains in-flight work (src/main.ts); give it time: docker stop -t 30.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/main.ts"]
