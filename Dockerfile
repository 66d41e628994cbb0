# paperbot: Discord / Slack bot over research-paper digests (README, "Deployment").

# Build stage: installs the runtime dependencies; better-sqlite3's native module is built here,
# with the compiler toolchain of the full image, which the final image does not carry.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Final stage: the slim image, the built node_modules and the TypeScript sources (run by tsx).
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    DIGESTS_DIR=/digests \
    HEALTH_PORT=8081 \
    HEALTH_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY deploy/healthcheck.mjs ./deploy/healthcheck.mjs
# The image's own `node` user (uid 1000) owns the state; mounted volumes need the same owner.
RUN mkdir -p /data /digests && chown node:node /data /digests
USER node
VOLUME ["/data", "/digests"]
# 3000: Slack's HTTP mode (SLACK_PORT); 8081: GET /health.
EXPOSE 3000 8081
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "deploy/healthcheck.mjs"]
# node itself as PID 1, not npm: SIGTERM from `docker stop` reaches the bot, which shuts down in order.
CMD ["node", "--max-semi-space-size=4", "--import", "tsx", "src/main.ts"]
