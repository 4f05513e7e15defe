# coslocal in a container: a build stage compiles it (and better-sqlite3, where no prebuilt binary downloads),
# the runtime stage holds the build and its production dependencies only, and runs as the unprivileged `node` user.
# Configure it with the COSLOCAL_* environment variables of `coslocal serve --help`; the data lives in /data.
# Not built by the test suite (the development machine has no Docker): see README "Container".

FROM node:20-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin/ bin/
COPY src/ src/
# npm ci compiles dist/ (the prepare script); the dev dependencies it needed for that are then dropped.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    COSLOCAL_HOST=0.0.0.0 \
    COSLOCAL_PORT=9000 \
    COSLOCAL_DATA_DIR=/data
WORKDIR /app
COPY --from=build /build/package.json ./
COPY --from=build /build/bin/ bin/
COPY --from=build /build/dist/ dist/
COPY --from=build /build/node_modules/ node_modules/
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 9000
# Node 20 has fetch; no curl in the slim image. coslocal answers SIGTERM by finishing in-flight requests.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.COSLOCAL_PORT}/_coslocal/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/coslocal.js"]
CMD ["serve"]
