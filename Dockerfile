# Gyre's one image: `gyre up`, `gyre server`, `gyre serve` and pipeline steps all run from it.
# Build:  docker build -t gyre:0.1.0 .
# Run:    docker run --read-only --tmpfs /tmp -v gyre-home:/var/lib/gyre -p 7070:7070 gyre:0.1.0 up
# The base is pinned to an exact Node 20 release on Debian bookworm; pin it by digest in your
# registry mirror (NODE_IMAGE=node:20.20.2-bookworm-slim@sha256:...) for byte-for-byte rebuilds.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- build: compilers for native modules, dev dependencies, TypeScript ----
FROM ${NODE_IMAGE} AS build
# better-sqlite3 falls back to compiling when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off for the lockfile install (the package's own `prepare` would build before the
# sources are here); then only the native modules run theirs.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY examples ./examples
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf dist/.tsbuildinfo

# ---- runtime: Node and the built files only; no compilers, no npm cache, no sources ----
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="gyre" \
      org.opencontainers.image.description="Gyre MLOps platform: API server, model server and pipeline steps" \
      org.opencontainers.image.licenses="Apache-2.0"
# A fixed numeric uid/gid, so Kubernetes' runAsNonRoot can verify it without /etc/passwd.
RUN groupadd --gid 10001 gyre \
 && useradd --uid 10001 --gid 10001 --home-dir /var/lib/gyre --no-create-home --shell /usr/sbin/nologin gyre \
 && mkdir -p /var/lib/gyre \
 && chown 10001:10001 /var/lib/gyre
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/bin ./bin
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/examples ./examples
# The code stays root-owned and read-only; everything Gyre writes goes under GYRE_HOME (a
# volume) and /tmp, so the container runs with a read-only root file system.
ENV NODE_ENV=production \
    GYRE_HOME=/var/lib/gyre \
    HOME=/var/lib/gyre \
    TMPDIR=/tmp \
    GYRE_HOST=0.0.0.0 \
    GYRE_PORT=7070 \
    GYRE_SERVING_PORT=5001
VOLUME ["/var/lib/gyre"]
USER 10001:10001
EXPOSE 7070 5001
# The API's /healthz, or the model server's OIP liveness when the container runs `gyre serve`.
# (Kubernetes ignores HEALTHCHECK; the manifests declare their own probes.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const h='http://127.0.0.1:';Promise.any([h+(process.env.GYRE_PORT||7070)+'/healthz',h+(process.env.GYRE_SERVING_PORT||5001)+'/v2/health/live'].map((u)=>fetch(u).then((r)=>{if(!r.ok)throw new Error(String(r.status))}))).then(()=>process.exit(0),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/gyre.js"]
CMD ["server"]
